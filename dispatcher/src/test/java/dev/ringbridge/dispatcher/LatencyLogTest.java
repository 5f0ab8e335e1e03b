package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        final Map<String, Long> countByTag = new HashMap<>();
        final Map<String, Integer> intervalsByTag = new HashMap<>();
        final HistogramLogReader reader = new HistogramLogReader(file.toFile());
        for (EncodableHistogram interval = reader.nextIntervalHistogram(); interval != null; interval = reader.nextIntervalHistogram())
        {
            final Histogram histogram = (Histogram)interval;
            countByTag.merge(histogram.getTag(), histogram.getTotalCount(), Long::sum);
            intervalsByTag.merge(histogram.getTag(), 1, Integer::sum);
        }
        reader.close();
        assertEquals(Map.of(LatencyLog.QUEUE_WAIT, (long)calls, LatencyLog.SERVICE, (long)calls, LatencyLog.END_TO_END, (long)calls),
            countByTag, "every call once per tag, over all intervals");
        assertTrue(intervalsByTag.get(LatencyLog.END_TO_END) >= 3, "written every 20 ms while the calls ran: " + intervalsByTag);
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
