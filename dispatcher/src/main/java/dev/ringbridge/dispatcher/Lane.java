package dev.ringbridge.dispatcher;

/**
 * The lane a call queues in. A dispatcher has a {@link #NORMAL} lane; {@link DispatcherBuilder#highLane} adds a
 * {@link #HIGH} one, with its own capacity and backpressure, which the same owner thread serves first, with a bound
 * on how long normal calls may wait behind it.
 */
public enum Lane
{
    /** Served first; after a configured number of high calls in a row, one normal call is served. */
    HIGH,
    /** The default lane. */
    NORMAL
}
