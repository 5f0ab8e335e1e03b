package dev.ringbridge.dispatcher;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot arithmetic: a pool's sum of its instances, a reader's interval, and the printed table. */
class MetricsSnapshotTest
{
    /** A histogram of the given latencies in nanoseconds. */
    private static Histogram nanos(final long... values)
    {
        final Histogram histogram = new Histogram(3);
        for (final long value : values)
        {
            histogram.recordValue(value);
        }
        return histogram;
    }

    private static TypeMetrics type(final String name, final long calls, final long failed, final long... endToEnd)
    {
        return new TypeMetrics(name, calls, failed, nanos(endToEnd), nanos(endToEnd));
    }

    private static MetricsSnapshot snapshot(final long start, final long end, final long[] counts, final Map<String, Long> kinds,
        final Map<String, TypeMetrics> types, final long... latencies)
    {
        return new MetricsSnapshot(start, end, nanos(latencies), nanos(latencies), nanos(latencies),
            counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], (int)counts[7], kinds, types);
    }

    private static Map<String, TypeMetrics> types(final TypeMetrics... types)
    {
        final Map<String, TypeMetrics> byName = new LinkedHashMap<>();
        for (final TypeMetrics type : types)
        {
            byName.put(type.type(), type);
        }
        return byName;
    }

    @Test
    void shouldAddTwoInstancesFieldByField()
    {
        final MetricsSnapshot a = snapshot(100, 200, new long[] {10, 7, 1, 1, 1, 2, 3, 64}, Map.of("HANDLER_ERROR", 1L),
            types(type("echo", 8, 1, 1_000, 2_000)), 1_000, 2_000);
        final MetricsSnapshot b = snapshot(50, 300, new long[] {20, 15, 2, 2, 3, 4, 5, 32}, Map.of("HANDLER_ERROR", 2L, "HOST", 1L),
            types(type("echo", 17, 2, 3_000), type("stats", 1, 0, 4_000)), 3_000);
        final MetricsSnapshot sum = MetricsSnapshot.combine(a, b);
        assertEquals(50, sum.startMillis(), "the earlier start");
        assertEquals(300, sum.endMillis(), "the later end");
        assertEquals(List.of(30L, 22L, 3L, 3L, 4L, 6L, 8L, 96L), List.of(sum.submitted(), sum.succeeded(), sum.failed(), sum.shed(),
            sum.cancelled(), sum.rejected(), sum.pending(), (long)sum.capacity()));
        assertEquals(3, sum.endToEnd().getTotalCount());
        assertEquals(3, sum.queueWait().getTotalCount());
        assertEquals(3, sum.serviceTime().getTotalCount());
        assertEquals(3_000, sum.endToEnd().getMaxValue(), 3_000 / 1000);
        assertEquals(Map.of("HANDLER_ERROR", 3L, "HOST", 1L), sum.failedByKind());
        assertEquals(25, sum.byType().get("echo").calls());
        assertEquals(3, sum.byType().get("echo").failed());
        assertEquals(3, sum.byType().get("echo").endToEnd().getTotalCount());
        assertEquals(3, sum.byType().get("echo").serviceTime().getTotalCount());
        assertEquals(1, sum.byType().get("stats").calls());
        assertEquals(2, a.endToEnd().getTotalCount(), "the parts are left as they were");
    }

    @Test
    void shouldSubtractAnEarlierSnapshotAndLeaveOutWhatDidNotChange()
    {
        final MetricsSnapshot earlier = snapshot(100, 200, new long[] {10, 7, 2, 1, 1, 2, 3, 64}, Map.of("HANDLER_ERROR", 2L),
            types(type("echo", 8, 2, 1_000, 2_000), type("stats", 1, 0, 5_000)), 1_000, 2_000);
        final Map<String, Long> kinds = new LinkedHashMap<>(Map.of("HANDLER_ERROR", 2L));
        kinds.put("HOST", 1L);
        final MetricsSnapshot later = snapshot(100, 500, new long[] {15, 10, 3, 2, 3, 5, 1, 64}, kinds,
            types(type("echo", 11, 2, 1_000, 2_000, 3_000), type("stats", 1, 0, 5_000), type("log", 1, 1, 4_000)), 1_000, 2_000, 3_000);
        final MetricsSnapshot interval = later.since(earlier);
        assertEquals(200, interval.startMillis(), "from the earlier snapshot's end");
        assertEquals(500, interval.endMillis());
        assertEquals(List.of(5L, 3L, 1L, 1L, 2L, 3L, 1L, 64L), List.of(interval.submitted(), interval.succeeded(), interval.failed(),
            interval.shed(), interval.cancelled(), interval.rejected(), interval.pending(), (long)interval.capacity()),
            "pending and capacity are the later values, not differences");
        assertEquals(1, interval.endToEnd().getTotalCount());
        assertEquals(3_000, interval.endToEnd().getMaxValue(), 3);
        assertEquals(1, interval.queueWait().getTotalCount());
        assertEquals(1, interval.serviceTime().getTotalCount());
        assertEquals(Map.of("HOST", 1L), interval.failedByKind(), "unchanged kinds are left out");
        assertEquals(List.of("echo", "log"), List.copyOf(interval.byType().keySet()), "unchanged types are left out, new ones kept");
        assertEquals(3, interval.byType().get("echo").calls());
        assertEquals(0, interval.byType().get("echo").failed());
        assertEquals(1, interval.byType().get("echo").endToEnd().getTotalCount());
        assertEquals(1, interval.byType().get("echo").serviceTime().getTotalCount());
        assertEquals(1, interval.byType().get("log").failed());
    }

    @Test
    void shouldPrintLatenciesInMicrosecondsCountersAndTypesWhenThereAreSeveral()
    {
        final MetricsSnapshot one = snapshot(0, 1, new long[] {3, 2, 1, 0, 0, 0, 0, 8}, Map.of(), types(type("echo", 3, 1, 2_000_000)),
            1_000, 2_000, 2_000_000);
        final String summary = one.summary();
        final String[] lines = summary.split(System.lineSeparator());
        assertEquals(String.format(java.util.Locale.ROOT, "%-13s %9s %9s %9s %9s %9s %9s %9s %10s",
            "latency (us)", "p50", "p90", "p99", "p99.9", "p99.99", "max", "mean", "count"), lines[0]);
        assertTrue(lines[1].startsWith("queue wait   "), lines[1]);
        assertTrue(lines[1].matches("queue wait +2\\.0( +200[01]\\.\\d){4} +200[01]\\.\\d +6\\d\\d\\.\\d +3"), lines[1]);
        assertTrue(lines[2].startsWith("service time "), lines[2]);
        assertTrue(lines[3].startsWith("end to end   "), lines[3]);
        assertEquals("calls: 3 submitted, 2 succeeded, 1 failed, 0 shed, 0 cancelled, 0 rejected, 0 pending (capacity 8)", lines[4]);
        assertEquals(5, lines.length, "no failures by kind, one type: nothing more");

        final MetricsSnapshot two = snapshot(0, 1, new long[] {3, 2, 1, 0, 0, 0, 0, 8}, Map.of("HANDLER_ERROR", 1L),
            types(type("echo", 2, 0, 1_000), type("fail", 1, 1, 3_000)), 1_000);
        final String[] more = two.summary().split(System.lineSeparator());
        assertEquals("failed by kind: {HANDLER_ERROR=1}", more[5]);
        assertEquals("end to end by type", more[6]);
        assertTrue(more[7].startsWith("echo ") && more[7].endsWith(" 1"), more[7]);
        assertTrue(more[8].startsWith("fail ") && more[8].contains("3.0"), more[8]);
        assertFalse(two.summary().isEmpty());
    }
}
