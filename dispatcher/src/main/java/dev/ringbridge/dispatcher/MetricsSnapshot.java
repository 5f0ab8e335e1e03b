package dev.ringbridge.dispatcher;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * The metrics of a dispatcher over one interval: three latency histograms in nanoseconds and the
 * counters at the end of the interval. The histograms are private copies; treat them as read-only.
 *
 * @param startMillis        start of the interval, epoch milliseconds.
 * @param endMillis          end of the interval, epoch milliseconds.
 * @param queueWait          submit until the owner thread starts the call.
 * @param serviceTime        the native call itself, on the owner thread.
 * @param endToEnd           submit until the result is ready (before the caller wakes).
 * @param submitted          calls accepted since start.
 * @param succeeded          calls that returned a result since start.
 * @param failed             calls that finished with an error since start.
 * @param shed               calls completed with a {@link DeadlineExceededException}, the plugin not called, since start.
 * @param cancelled          calls cancelled before they started, the plugin not called, since start.
 * @param rejected           calls refused (ring full on trySubmit, or dispatcher shut) since start.
 * @param pending            calls accepted and not finished at the end of the interval.
 * @param capacity           the most calls the ring holds.
 */
public record MetricsSnapshot(
    long startMillis,
    long endMillis,
    Histogram queueWait,
    Histogram serviceTime,
    Histogram endToEnd,
    long submitted,
    long succeeded,
    long failed,
    long shed,
    long cancelled,
    long rejected,
    long pending,
    int capacity)
{
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    /**
     * Returns a printable table of the three latencies in microseconds, and the counters.
     *
     * @return a printable table of the three latencies in microseconds, and the counters.
     */
    public String summary()
    {
        final StringBuilder out = new StringBuilder(512);
        out.append(String.format(Locale.ROOT, "%-13s %9s %9s %9s %9s %9s %9s %9s %10s%n",
            "latency (us)", "p50", "p90", "p99", "p99.9", "p99.99", "max", "mean", "count"));
        row(out, "queue wait", queueWait);
        row(out, "service time", serviceTime);
        row(out, "end to end", endToEnd);
        out.append(String.format(Locale.ROOT,
            "calls: %d submitted, %d succeeded, %d failed, %d shed, %d cancelled, %d rejected, %d pending (capacity %d)%n",
            submitted, succeeded, failed, shed, cancelled, rejected, pending, capacity));
        return out.toString();
    }

    /** Two snapshots as one: histograms added, counters summed, the span of both. For pools and replaced instances. */
    static MetricsSnapshot combine(final MetricsSnapshot a, final MetricsSnapshot b)
    {
        return new MetricsSnapshot(Math.min(a.startMillis, b.startMillis), Math.max(a.endMillis, b.endMillis),
            added(a.queueWait, b.queueWait), added(a.serviceTime, b.serviceTime), added(a.endToEnd, b.endToEnd),
            a.submitted + b.submitted, a.succeeded + b.succeeded, a.failed + b.failed, a.shed + b.shed,
            a.cancelled + b.cancelled, a.rejected + b.rejected, a.pending + b.pending, a.capacity + b.capacity);
    }

    private static Histogram added(final Histogram a, final Histogram b)
    {
        final Histogram sum = a.copy();
        sum.add(b);
        return sum;
    }

    private static void row(final StringBuilder out, final String name, final Histogram histogram)
    {
        out.append(String.format(Locale.ROOT, "%-13s", name));
        for (final double percentile : PERCENTILES)
        {
            out.append(String.format(Locale.ROOT, " %9.1f", histogram.getValueAtPercentile(percentile) / 1000.0));
        }
        out.append(String.format(Locale.ROOT, " %9.1f %9.1f %10d%n",
            histogram.getMaxValue() / 1000.0, histogram.getMean() / 1000.0, histogram.getTotalCount()));
    }
}
