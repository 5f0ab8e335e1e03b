package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metrics for many readers: cumulative figures, intervals owned by each reader, figures per call type. */
@NeedsSamplePlugin
class MetricsReadersTest
{
    private static final CallType<String, String> ECHO = CallType.json("echo");
    private static final CallType<String, String> FAIL = CallType.json("fail");
    private static final CallType<String, String> STATS = CallType.json("stats");
    private static final String MESSAGE = "{\"message\":\"m\"}";

    @Test
    void shouldGiveTwoReadersTheSameCallsWhicheverReadsFirst() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final MetricsReader dashboard = dispatcher.newMetricsReader();
            final MetricsReader logLine = dispatcher.newMetricsReader();
            calls(dispatcher, ECHO, 30);
            final MetricsSnapshot dashboardFirst = dashboard.next();
            calls(dispatcher, ECHO, 20);
            final MetricsSnapshot logLineOnly = logLine.next();
            final MetricsSnapshot dashboardSecond = dashboard.next();

            assertEquals(30, dashboardFirst.endToEnd().getTotalCount());
            assertEquals(30, dashboardFirst.succeeded());
            assertEquals(20, dashboardSecond.endToEnd().getTotalCount(), "the second interval holds only the later calls");
            assertEquals(20, dashboardSecond.submitted());
            assertEquals(50, logLineOnly.endToEnd().getTotalCount(), "the dashboard's reads took nothing from the log line");
            assertEquals(50, logLineOnly.succeeded());
            assertEquals(dashboardFirst.endMillis(), dashboardSecond.startMillis(), "intervals follow each other");
            assertEquals(50, dispatcher.totalMetrics().endToEnd().getTotalCount());
            assertEquals(0, logLine.next().endToEnd().getTotalCount(), "nothing new since its last read");
        }
    }

    @Tag("load")
    @Test
    void shouldLoseNoCallToConcurrentReadersUnderLoad() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(64).build())
        {
            final int producers = 4;
            final int perProducer = 2_000;
            final MetricsReader[] readers = {dispatcher.newMetricsReader(), dispatcher.newMetricsReader()};
            final long[] seen = new long[readers.length];
            final long[] succeeded = new long[readers.length];
            final AtomicBoolean done = new AtomicBoolean();
            final List<Thread> pollers = new ArrayList<>();
            for (int r = 0; r < readers.length; r++)
            {
                final int reader = r;
                pollers.add(Thread.ofPlatform().start(() ->
                {
                    while (!done.get())
                    {
                        final MetricsSnapshot interval = readers[reader].next();
                        seen[reader] += interval.endToEnd().getTotalCount();
                        succeeded[reader] += interval.succeeded();
                        Thread.onSpinWait();
                    }
                }));
            }
            final List<CompletableFuture<Void>> load = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                load.add(CompletableFuture.runAsync(() -> calls(dispatcher, ECHO, perProducer)));
            }
            CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).join();
            done.set(true);
            for (final Thread poller : pollers)
            {
                poller.join();
            }
            for (int r = 0; r < readers.length; r++)
            {
                final MetricsSnapshot rest = readers[r].next();
                assertEquals(producers * perProducer, seen[r] + rest.endToEnd().getTotalCount(), "reader " + r + " latencies");
                assertEquals(producers * perProducer, succeeded[r] + rest.succeeded(), "reader " + r + " counters");
            }
        }
    }

    @Test
    void shouldCountCallsAndFailuresPerTypeAndKind() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            calls(dispatcher, ECHO, 5);
            for (int i = 0; i < 3; i++)
            {
                assertThrows(PluginException.class, () -> dispatcher.call(FAIL, MESSAGE));
            }
            dispatcher.call(CallType.binary(1), BenchSmall.request("bin", 1));

            final MetricsSnapshot total = dispatcher.totalMetrics();
            assertEquals(List.of("echo", "fail", "binary:1"), List.copyOf(total.byType().keySet()), "in the order first seen");
            assertEquals(5, total.byType().get("echo").calls());
            assertEquals(0, total.byType().get("echo").failed());
            assertEquals(3, total.byType().get("fail").calls());
            assertEquals(3, total.byType().get("fail").failed());
            assertEquals(3, total.byType().get("fail").endToEnd().getTotalCount());
            assertEquals(1, total.byType().get("binary:1").serviceTime().getTotalCount());
            assertEquals(3, total.failedByKind().get("HANDLER_ERROR"), "the plugin's code 7: " + total.failedByKind());
            assertEquals(1, total.failedByKind().size());
            assertTrue(total.summary().contains("binary:1"), total.summary());
        }
    }

    @Test
    void shouldCountTypesBeyondTheLimitTogether() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).typeLimit(1).build())
        {
            calls(dispatcher, ECHO, 2);
            calls(dispatcher, STATS, 3);
            dispatcher.call(CallType.json("sleep"), "{\"duration_ms\":0}");

            final MetricsSnapshot total = dispatcher.totalMetrics();
            assertEquals(2, total.byType().size(), "echo, then everything else: " + total.byType().keySet());
            assertEquals(2, total.byType().get("echo").calls());
            assertEquals(4, total.byType().get("(other)").calls());
        }
    }

    @Test
    void shouldReadAPoolOverItsInstances() throws Exception
    {
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).build())
        {
            final MetricsReader reader = pool.newMetricsReader();
            calls(pool, ECHO, 40);
            final MetricsSnapshot interval = reader.next();
            assertEquals(40, interval.byType().get("echo").calls());
            assertEquals(40, interval.succeeded());
            assertEquals(pool.capacity(), interval.capacity());
            assertTrue(interval.failedByKind().isEmpty());
        }
    }

    @Test
    void shouldCountCallsFailedOnTheHostApart() throws Exception
    {
        final PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build();
        final List<CallFuture<String>> queued = new ArrayList<>();
        queued.add(dispatcher.submit(CallType.json("sleep"), "{\"duration_ms\":100}"));
        for (int i = 0; i < 3; i++)
        {
            queued.add(dispatcher.submit(ECHO, MESSAGE));
        }
        dispatcher.shutdownNow();
        final long refused = queued.stream().filter(MetricsReadersTest::failed).count();
        final MetricsSnapshot total = dispatcher.totalMetrics();
        assertEquals(refused, total.failedByKind().getOrDefault(DispatcherMetrics.HOST_KIND, 0L), total.failedByKind().toString());
        assertFalse(total.failedByKind().containsKey("HANDLER_ERROR"));
        assertTrue(refused >= 3, "the calls behind the sleep never started: " + refused);
        assertEquals(refused, total.failed());
    }

    private static boolean failed(final CallFuture<String> future)
    {
        try
        {
            future.join();
            return false;
        }
        catch (final RuntimeException e)
        {
            return true;
        }
    }

    private static void calls(final Dispatcher dispatcher, final CallType<String, String> type, final int count)
    {
        try
        {
            for (int i = 0; i < count; i++)
            {
                dispatcher.call(type, type == ECHO ? MESSAGE : "{}");
            }
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }
}
