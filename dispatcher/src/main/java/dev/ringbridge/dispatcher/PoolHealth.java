package dev.ringbridge.dispatcher;

import java.util.List;

/**
 * The slots of a {@link PluginPool} at a moment, for a health check or a dashboard.
 *
 * @param slots every slot, by index.
 */
public record PoolHealth(List<SlotHealth> slots)
{
    /**
     * Makes an immutable health report.
     *
     * @param slots every slot, by index.
     */
    public PoolHealth
    {
        slots = List.copyOf(slots);
    }

    /**
     * Returns true when every slot is {@link SlotState#RUNNING}.
     *
     * @return true when every slot is running.
     */
    public boolean isHealthy()
    {
        return slots.stream().allMatch(slot -> slot.state() == SlotState.RUNNING);
    }

    /**
     * Returns how many slots are {@link SlotState#RUNNING}.
     *
     * @return how many slots are running.
     */
    public int running()
    {
        return (int)slots.stream().filter(slot -> slot.state() == SlotState.RUNNING).count();
    }

    /**
     * Returns how many slots are {@link SlotState#DEAD}.
     *
     * @return how many slots are dead.
     */
    public int dead()
    {
        return (int)slots.stream().filter(slot -> slot.state() == SlotState.DEAD).count();
    }
}
