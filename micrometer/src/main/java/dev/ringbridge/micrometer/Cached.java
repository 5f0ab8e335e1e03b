package dev.ringbridge.micrometer;

import io.micrometer.core.instrument.Clock;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A value read from its source at most once per {@code maxAge} on the registry's clock, and the same value handed
 * to every reader until then: so the meters read in one scrape see one snapshot, and a scrape costs one read of the
 * dispatcher however many meters it has. Refreshed only when read: nothing runs while nobody reads.
 *
 * @param <T> the value's type.
 */
final class Cached<T>
{
    private final Supplier<T> source;
    private final Clock clock;
    private final long maxAgeNanos;
    /** Guarded by this. */
    private T value;
    /** Guarded by this: the clock's monotonic time of the last read of the source. */
    private long readAt;

    Cached(final Supplier<T> source, final Clock clock, final Duration maxAge)
    {
        this.source = source;
        this.clock = clock;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The value read last, or a new one when that is {@code maxAge} old or older. */
    synchronized T get()
    {
        final long now = clock.monotonicTime();
        if (value == null || now - readAt >= maxAgeNanos)
        {
            value = source.get();
            readAt = now;
        }
        return value;
    }
}
