package dev.ringbridge.dispatcher;

/**
 * One slot of a {@link PluginPool} at a moment.
 *
 * @param slot     the slot's index.
 * @param state    its state.
 * @param restarts how often its instance was replaced.
 * @param failures how often its instance panicked.
 * @param pending  calls accepted by its current instance and not yet finished.
 * @param capacity its current instance's capacity.
 */
public record SlotHealth(int slot, SlotState state, long restarts, long failures, long pending, int capacity)
{
}
