package dev.ringbridge.dispatcher;

import org.HdrHistogram.Histogram;

/**
 * The calls of one type (a JSON type tag, or {@code binary:<id>}) that entered the plugin, over a
 * {@link MetricsSnapshot}'s span. The histograms are private copies in nanoseconds; treat them as read-only.
 *
 * @param type        the type tag, {@code binary:<id>}, or {@code (other)} for the types beyond the dispatcher's
 *                    {@link DispatcherBuilder#typeLimit(int) type limit}.
 * @param calls       calls that entered the plugin.
 * @param failed      of those, calls that failed.
 * @param serviceTime the native call itself.
 * @param endToEnd    submit until the result is ready.
 */
public record TypeMetrics(String type, long calls, long failed, Histogram serviceTime, Histogram endToEnd)
{
    /** The calls of {@code this} not in {@code earlier}: an interval between two cumulative figures. */
    TypeMetrics since(final TypeMetrics earlier)
    {
        return new TypeMetrics(type, calls - earlier.calls, failed - earlier.failed,
            MetricsSnapshot.subtracted(serviceTime, earlier.serviceTime), MetricsSnapshot.subtracted(endToEnd, earlier.endToEnd));
    }

    /** Both as one: for pools and replaced instances. */
    TypeMetrics plus(final TypeMetrics other)
    {
        return new TypeMetrics(type, calls + other.calls, failed + other.failed,
            MetricsSnapshot.added(serviceTime, other.serviceTime), MetricsSnapshot.added(endToEnd, other.endToEnd));
    }
}
