package dev.ringbridge.dispatcher;

import java.time.Duration;

/**
 * What happened to a slot of a {@link PluginPool} after its instance failed; given to the pool's
 * {@link PoolBuilder#onRestart restart listener}.
 *
 * @param slot     the slot's index.
 * @param outcome  what happened.
 * @param restarts the slot's restarts so far, this one included.
 * @param cause    why the instance was replaced: the panic, or why the replacement could not start.
 * @param downtime from the failure to this event.
 */
public record RestartEvent(int slot, Outcome outcome, long restarts, String cause, Duration downtime)
{
    /** What a restart came to. */
    public enum Outcome
    {
        /** A replacement instance serves the slot's calls. */
        RESTARTED,
        /** A replacement did not start; another attempt follows if the budget allows. */
        START_FAILED,
        /** The restart budget is exhausted: the slot is dead and calls are routed around it. */
        DEAD
    }
}
