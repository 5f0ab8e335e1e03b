package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@NeedsSamplePlugin
class LatencyLogTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLogEveryCallInTaggedIntervalsThatHdrHistogramReadsBack() throws Exception
    {
        final Path file = dir.resolve("plugin.hlog");
        final int calls = 300;
        final long startMillis = System.currentTimeMillis();
        final long startNanos = System.nanoTime();
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final MetricsReader other = dispatcher.newMetricsReader();
            try (LatencyLog log = LatencyLog.start(dispatcher, file, Duration.ofMillis(20)))
            {
                for (int i = 0; i < calls; i++)
                {
                    dispatcher.call(CallType.json("sleep"), "{\"duration_ms\":0}");
                    if (i % 100 == 0)
                    {
                        Thread.sleep(30);
                    }
                }
            }
            assertEquals(calls, other.next().endToEnd().getTotalCount(), "the log took nothing from another reader");
        }
        final long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        final long endMillis = System.currentTimeMillis();
        final String text = Files.readString(file);
        assertTrue(text.startsWith("#[Histogram log format version "), text.lines().findFirst().orElse(""));
        assertTrue(text.contains("#ringbridge plugin.hlog: latencies in nanoseconds"), "the comment names the log");
        assertTrue(text.contains("\"StartTimestamp\",\"Interval_Length\""), "the legend, for tools that read the columns");

        final Map<String, Long> countByTag = new HashMap<>();
        final Map<String, Integer> intervalsByTag = new HashMap<>();
        final HistogramLogReader reader = new HistogramLogReader(file.toFile());
        for (EncodableHistogram interval = reader.nextIntervalHistogram(); interval != null; interval = reader.nextIntervalHistogram())
        {
            final Histogram histogram = (Histogram)interval;
            countByTag.merge(histogram.getTag(), histogram.getTotalCount(), Long::sum);
            intervalsByTag.merge(histogram.getTag(), 1, Integer::sum);
            // Times come back absolute: the log's start and base time, plus each interval's offset from them.
            assertTrue(histogram.getStartTimeStamp() >= startMillis - 1000 && histogram.getEndTimeStamp() <= endMillis + 1000,
                "interval " + histogram.getStartTimeStamp() + ".." + histogram.getEndTimeStamp() + " within the test's "
                    + startMillis + ".." + endMillis);
            assertTrue(histogram.getEndTimeStamp() >= histogram.getStartTimeStamp());
        }
        assertTrue(Math.abs(reader.getStartTimeSec() * 1000 - startMillis) < 2000, "the log's start time: " + reader.getStartTimeSec());
        reader.close();
        assertEquals(Map.of(LatencyLog.QUEUE_WAIT, (long)calls, LatencyLog.SERVICE, (long)calls, LatencyLog.END_TO_END, (long)calls),
            countByTag, "every call once per tag, over all intervals");
        assertTrue(intervalsByTag.get(LatencyLog.END_TO_END) >= 3, "written every 20 ms while the calls ran: " + intervalsByTag);
        assertTrue(intervalsByTag.get(LatencyLog.END_TO_END) <= elapsedMillis / 20 + 2,
            "once per 20 ms, not more: " + intervalsByTag + " in " + elapsedMillis + " ms");
    }

    @Test
    void shouldWriteTheLastIntervalAndStopItsThreadAtClose() throws Exception
    {
        final Path file = dir.resolve("closing.hlog");
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final LatencyLog log = LatencyLog.start(dispatcher, file, Duration.ofMinutes(10));
            for (int i = 0; i < 5; i++)
            {
                dispatcher.call(CallType.json("echo"), "{\"message\":\"m\"}");
            }
            final long before = System.nanoTime();
            log.close();
            assertTrue(System.nanoTime() - before < 5_000_000_000L, "close wakes the writer instead of waiting out its interval");
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("ringbridge-latency-log-closing.hlog")),
                "the writer thread has ended when close returns");
            log.close();
        }
        long total = 0;
        final HistogramLogReader reader = new HistogramLogReader(file.toFile());
        for (EncodableHistogram interval = reader.nextIntervalHistogram(); interval != null; interval = reader.nextIntervalHistogram())
        {
            if (LatencyLog.END_TO_END.equals(interval.getTag()))
            {
                total += ((Histogram)interval).getTotalCount();
            }
        }
        reader.close();
        assertEquals(5, total, "the calls of the unfinished interval are written at close, once");
    }

    @Test
    void shouldRefuseAnIntervalTooShortToWrite() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyLog.start(dispatcher, dir.resolve("x.hlog"), Duration.ofMillis(1)));
            assertTrue(e.getMessage().contains("at least 10 ms"), e.getMessage());
        }
    }
}
