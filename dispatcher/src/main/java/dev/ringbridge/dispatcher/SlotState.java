package dev.ringbridge.dispatcher;

/**
 * The state of one slot of a {@link PluginPool}.
 */
public enum SlotState
{
    /** Its instance serves calls. */
    RUNNING,
    /** Its instance panicked; a replacement is being started (calls routed to it fail fast, or retry if idempotent). */
    RESTARTING,
    /** It exhausted its restart budget: no instance, and calls are routed around it. */
    DEAD
}
