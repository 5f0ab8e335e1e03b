package dev.ringbridge.dispatcher;

import org.HdrHistogram.Histogram;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * The metrics of a dispatcher or a pool over a span: since the start ({@link Dispatcher#totalMetrics()}) or over one
 * reader's interval ({@link MetricsReader#next()}). Three latency histograms in nanoseconds, counters of the calls in the
 * span, the same per call type, and the pending calls and capacity at its end. The histograms are private copies;
 * treat them as read-only.
 *
 * @param startMillis        start of the interval, epoch milliseconds.
 * @param endMillis          end of the interval, epoch milliseconds.
 * @param queueWait          submit until the owner thread starts the call.
 * @param serviceTime        the native call itself, on the owner thread.
 * @param endToEnd           submit until the result is ready (before the caller wakes).
 * @param submitted          calls accepted in the span.
 * @param succeeded          calls that returned a result in the span.
 * @param failed             calls that finished with an error in the span.
 * @param shed               calls completed with a {@link DeadlineExceededException}, the plugin not called.
 * @param cancelled          calls cancelled before they started, the plugin not called.
 * @param rejected           calls refused (ring full on trySubmit, or dispatcher shut).
 * @param pending            calls accepted and not finished at the end of the span.
 * @param capacity           the most calls the ring holds (the rings of every instance, for a pool).
 * @param failedByKind       failed calls by the plugin's {@link dev.ringbridge.ffi.ErrorKind ErrorKind} name, and by
 *                           {@value DispatcherMetrics#HOST_KIND} for failures on the host side (refused, never
 *                           started, a bad response buffer); kinds with no failure are left out.
 * @param byType             the calls that entered the plugin, by type tag (or {@code binary:<id>}), in the order the
 *                           types were first seen.
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
    int capacity,
    Map<String, Long> failedByKind,
    Map<String, TypeMetrics> byType)
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
        if (!failedByKind.isEmpty())
        {
            out.append("failed by kind: ").append(failedByKind).append(System.lineSeparator());
        }
        if (byType.size() > 1)
        {
            out.append("end to end by type").append(System.lineSeparator());
            for (final TypeMetrics type : byType.values())
            {
                row(out, type.type(), type.endToEnd());
            }
        }
        return out.toString();
    }

    /** Two snapshots as one: histograms added, counters summed, the span of both. For pools and replaced instances. */
    static MetricsSnapshot combine(final MetricsSnapshot a, final MetricsSnapshot b)
    {
        return new MetricsSnapshot(Math.min(a.startMillis, b.startMillis), Math.max(a.endMillis, b.endMillis),
            added(a.queueWait, b.queueWait), added(a.serviceTime, b.serviceTime), added(a.endToEnd, b.endToEnd),
            a.submitted + b.submitted, a.succeeded + b.succeeded, a.failed + b.failed, a.shed + b.shed,
            a.cancelled + b.cancelled, a.rejected + b.rejected, a.pending + b.pending, a.capacity + b.capacity,
            merged(a.failedByKind, b.failedByKind, Long::sum), merged(a.byType, b.byType, TypeMetrics::plus));
    }

    /**
     * The calls of this cumulative snapshot that {@code earlier}, a cumulative snapshot of the same source, had not
     * counted: the interval between the two. Pending and capacity are this snapshot's.
     */
    MetricsSnapshot since(final MetricsSnapshot earlier)
    {
        final Map<String, Long> kinds = new LinkedHashMap<>();
        failedByKind.forEach((kind, count) ->
        {
            final long delta = count - earlier.failedByKind.getOrDefault(kind, 0L);
            if (delta != 0)
            {
                kinds.put(kind, delta);
            }
        });
        final Map<String, TypeMetrics> types = new LinkedHashMap<>();
        byType.forEach((type, figures) ->
        {
            final TypeMetrics before = earlier.byType.get(type);
            final TypeMetrics delta = before == null ? figures : figures.since(before);
            if (delta.calls() != 0)
            {
                types.put(type, delta);
            }
        });
        return new MetricsSnapshot(earlier.endMillis, endMillis, subtracted(queueWait, earlier.queueWait),
            subtracted(serviceTime, earlier.serviceTime), subtracted(endToEnd, earlier.endToEnd),
            submitted - earlier.submitted, succeeded - earlier.succeeded, failed - earlier.failed, shed - earlier.shed,
            cancelled - earlier.cancelled, rejected - earlier.rejected, pending, capacity,
            Collections.unmodifiableMap(kinds), Collections.unmodifiableMap(types));
    }

    static Histogram added(final Histogram a, final Histogram b)
    {
        final Histogram sum = a.copy();
        sum.add(b);
        return sum;
    }

    static Histogram subtracted(final Histogram later, final Histogram earlier)
    {
        final Histogram difference = later.copy();
        difference.subtract(earlier);
        return difference;
    }

    private static <V> Map<String, V> merged(final Map<String, V> a, final Map<String, V> b, final BinaryOperator<V> plus)
    {
        final Map<String, V> sum = new LinkedHashMap<>(a);
        b.forEach((key, value) -> sum.merge(key, value, plus));
        return Collections.unmodifiableMap(sum);
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
