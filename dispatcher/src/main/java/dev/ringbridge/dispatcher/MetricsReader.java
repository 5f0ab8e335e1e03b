package dev.ringbridge.dispatcher;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One reader's view of a dispatcher's or a pool's metrics over intervals. Each {@link #next()} returns what happened
 * since this reader's previous {@code next()} (or since it was made): the difference of two cumulative snapshots, so
 * any number of readers (a Micrometer binder, a log line, a user's poller) each see every call once and never take
 * each other's data.
 *
 * <p>Thread-safe; meant for one reader at a time (concurrent {@code next()} calls split the intervals between them).
 */
public final class MetricsReader
{
    private final Supplier<MetricsSnapshot> totals;
    /** Guarded by this. */
    private MetricsSnapshot last;

    /**
     * A reader over any source of cumulative snapshots, such as {@link Dispatcher#totalMetrics()}.
     *
     * @param totals cumulative snapshots: each counts at least what the one before it counted.
     */
    public MetricsReader(final Supplier<MetricsSnapshot> totals)
    {
        this.totals = Objects.requireNonNull(totals, "totals must not be null");
        this.last = totals.get();
    }

    /**
     * Returns the calls since this reader's previous interval: latencies, counters and types over the interval,
     * pending and capacity as they are now.
     *
     * @return an immutable snapshot of the interval.
     */
    public synchronized MetricsSnapshot next()
    {
        final MetricsSnapshot now = totals.get();
        final MetricsSnapshot interval = now.since(last);
        last = now;
        return interval;
    }
}
