package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deadlines and cancellation keep calls away from the plugin; its own call counter proves it. */
@NeedsSamplePlugin
class DeadlineTest
{
    private static final CallType<String, String> SLEEP = CallType.json("sleep");
    private static final CallType<String, String> ECHO = CallType.json("echo");
    private static final String SLEEP_200_MS = "{\"duration_ms\":200}";
    private static final String HELLO = "{\"message\":\"hello\"}";

    /** Calls that reached the plugin, the stats call itself not counted. */
    private static long pluginCalls(final PluginDispatcher dispatcher) throws Exception
    {
        return SamplePlugin.longField(dispatcher.call(CallType.json("stats"), "{}"), "calls");
    }

    private static void shouldShedBehindASleep(final boolean metrics) throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).metrics(metrics).build())
        {
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, SLEEP_200_MS);
            final CallFuture<String> late = dispatcher.submit(ECHO, HELLO, CallOptions.timeout(Duration.ofMillis(50)));

            final ExecutionException failure = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
            final DeadlineExceededException shed = assertInstanceOf(DeadlineExceededException.class, failure.getCause());
            assertEquals(Duration.ofMillis(50), shed.timeout());
            assertTrue(shed.lateBy().toMillis() >= 100, "reached about 150 ms late: " + shed.getMessage());
            assertTrue(shed.getMessage().contains("50.000 ms after its submit"), shed.getMessage());
            assertTrue(sleep.get(5, TimeUnit.SECONDS).contains("200"));

            assertEquals(1, pluginCalls(dispatcher), "only the sleep reached the plugin");
            assertEquals(1, dispatcher.metrics().shedCount());
            final MetricsSnapshot total = dispatcher.metrics().total();
            assertEquals(1, total.shed());
            assertEquals(0, total.failed(), "a shed call is not a failed one");
            assertEquals(0, total.pending());
        }
    }

    @Test
    void shouldShedACallWhoseDeadlinePassedWithoutEnteringThePlugin() throws Exception
    {
        shouldShedBehindASleep(true);
    }

    @Test
    void shouldShedWithMetricsOffToo() throws Exception
    {
        shouldShedBehindASleep(false);
    }

    @Test
    void shouldGiveBackTheRoomAndPublishTheFiguresWhenTheLastCallIsShed() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(2).build())
        {
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, "{\"duration_ms\":100}");
            final CallFuture<String> late = dispatcher.submit(ECHO, HELLO, CallOptions.timeout(Duration.ofMillis(10)));
            assertInstanceOf(DeadlineExceededException.class,
                assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS)).getCause());
            sleep.get(5, TimeUnit.SECONDS);

            // Nothing else has run since the shed call: what follows is what its skip left behind.
            assertEquals(1, dispatcher.totalMetrics().endToEnd().getTotalCount(),
                "the sleep's latency is published when the ring runs empty, though the last call was shed");
            // A sleep holds the first room (it cannot finish and free it in time), so the echo needs the shed call's.
            assertTrue(dispatcher.trySubmit(SLEEP, "{\"duration_ms\":100}").isPresent());
            assertTrue(dispatcher.trySubmit(ECHO, HELLO).isPresent(), "the shed call's room is free again: capacity 2");
        }
    }

    /**
     * The owner takes a fresh clock reading after a shed call: the next call's service time must not include the shed
     * call's completion (here a 100 ms callback that runs on the owner thread).
     */
    @Test
    void shouldNotCountAShedCallsCompletionAsTheNextCallsService() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, "{\"duration_ms\":50}");
            final CallFuture<String> late = dispatcher.submit(ECHO, HELLO, CallOptions.timeout(Duration.ofMillis(1)));
            late.whenComplete((result, failure) -> sleepQuietly(100));
            final CallFuture<String> next = dispatcher.submit(ECHO, HELLO);
            sleep.get(5, TimeUnit.SECONDS);
            assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
            next.get(5, TimeUnit.SECONDS);

            final TypeMetrics echo = dispatcher.totalMetrics().byType().get("echo");
            assertEquals(1, echo.calls(), "only the next echo ran");
            final long serviceMillis = TimeUnit.NANOSECONDS.toMillis(echo.serviceTime().getMaxValue());
            assertTrue(serviceMillis < 50, "the echo's service time holds the shed call's callback: " + serviceMillis + " ms");
        }
    }

    private static void sleepQuietly(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldShedAtAnAbsoluteDeadline() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            dispatcher.submit(SLEEP, SLEEP_200_MS);
            final CallFuture<String> late = dispatcher.submit(ECHO, HELLO, CallOptions.deadline(Instant.now().plusMillis(50)));
            assertInstanceOf(DeadlineExceededException.class,
                assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS)).getCause());
            assertEquals(1, pluginCalls(dispatcher));
        }
    }

    @Test
    void shouldApplyTheBuilderDefaultToCallsWithoutADeadline() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load())
            .defaultTimeout(Duration.ofMillis(50)).build())
        {
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, SLEEP_200_MS);
            final CallFuture<String> late = dispatcher.submit(ECHO, HELLO);
            final CallFuture<String> exempt = dispatcher.submit(ECHO, HELLO, CallOptions.noDeadline());
            final CallFuture<String> own = dispatcher.submit(ECHO, HELLO, CallOptions.timeout(Duration.ofSeconds(5)));

            assertInstanceOf(DeadlineExceededException.class,
                assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS)).getCause());
            assertTrue(sleep.get(5, TimeUnit.SECONDS).contains("200"), "started within its default deadline");
            assertTrue(exempt.get(5, TimeUnit.SECONDS).contains("hello"), "noDeadline opts out of the default");
            assertTrue(own.get(5, TimeUnit.SECONDS).contains("hello"), "a call's own deadline replaces the default");
            assertEquals(3, pluginCalls(dispatcher));
        }
    }

    @Test
    void shouldNotEnterThePluginAfterABlockingCallTimedOut() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, SLEEP_200_MS);
            final long start = System.nanoTime();
            assertThrows(TimeoutException.class, () -> dispatcher.call(ECHO, HELLO, Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(180), "the caller left at its timeout");
            assertThrows(TimeoutException.class,
                () -> dispatcher.call(ECHO, HELLO, CallOptions.timeout(Duration.ofMillis(50))));
            sleep.get(5, TimeUnit.SECONDS);

            assertEquals(1, pluginCalls(dispatcher), "neither timed-out call reached the plugin");
            assertEquals(2, dispatcher.metrics().shedCount() + dispatcher.metrics().cancelledCount(),
                "each was shed at its deadline or skipped as abandoned");
            assertEquals("{\"length\":5,\"message\":\"hello\"}",
                dispatcher.call(ECHO, HELLO, Duration.ofSeconds(5)), "the thread's next call works");
        }
    }

    @Test
    void shouldRunCallsWithinTheirDeadline() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).defaultTimeout(Duration.ofSeconds(5)).build())
        {
            for (int i = 0; i < 1_000; i++)
            {
                assertTrue(dispatcher.submit(ECHO, HELLO).get(5, TimeUnit.SECONDS).contains("hello"));
                assertTrue(dispatcher.call(ECHO, HELLO, CallOptions.deadline(Instant.now().plusSeconds(5))).contains("hello"));
            }
            assertEquals(0, dispatcher.metrics().shedCount());
            assertEquals(2_000, pluginCalls(dispatcher));
        }
    }

    @Test
    void shouldFailTheFutureOfACallWhoseDeadlinePassedWhileWaitingForRoom() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(1).build())
        {
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, SLEEP_200_MS);
            final CallFuture<String> refused = dispatcher.submit(ECHO, HELLO, CallOptions.timeout(Duration.ofMillis(50)));
            assertTrue(refused.isDone(), "the wait for room ended at the deadline");
            assertInstanceOf(DeadlineExceededException.class, assertThrows(ExecutionException.class, refused::get).getCause());
            assertEquals(1, dispatcher.metrics().total().rejected());
            sleep.get(5, TimeUnit.SECONDS);
            assertEquals(1, pluginCalls(dispatcher));
        }
    }

    @Test
    void shouldSkipACallCancelledBeforeItStarted() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, SLEEP_200_MS);
            final CallFuture<String> cancelled = dispatcher.submit(ECHO, HELLO);
            assertTrue(cancelled.cancel(false));
            assertThrows(CancellationException.class, cancelled::get);
            sleep.get(5, TimeUnit.SECONDS);

            assertEquals(1, pluginCalls(dispatcher), "the cancelled call never reached the plugin");
            assertEquals(1, dispatcher.metrics().cancelledCount());
            assertEquals(0, dispatcher.metrics().total().pending());
        }
    }

    @Test
    void shouldRunAStartedCallToItsEndWhenCancelled() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final CallFuture<String> running = dispatcher.submit(SLEEP, SLEEP_200_MS);
            // The owner is idle and starts the sleep within microseconds; 50 ms leaves it well inside its 200.
            Thread.sleep(50);
            assertTrue(running.cancel(false));
            final long before = System.nanoTime();
            assertEquals(1, pluginCalls(dispatcher), "the started sleep ran to its end");
            assertTrue(System.nanoTime() - before > TimeUnit.MILLISECONDS.toNanos(50), "the stats call waited for it");
            assertTrue(running.isCancelled(), "its result is dropped");
            assertEquals(0, dispatcher.metrics().cancelledCount());
        }
    }

    @Test
    void shouldCompleteEveryFutureAtShutdownWhateverItsDeadline() throws Exception
    {
        for (final boolean now : new boolean[] {false, true})
        {
            final PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build();
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, SLEEP_200_MS);
            final java.util.List<CallFuture<String>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                futures.add(dispatcher.submit(ECHO, HELLO, CallOptions.timeout(Duration.ofMillis(50))));
                futures.add(dispatcher.submit(ECHO, HELLO, CallOptions.timeout(Duration.ofSeconds(30))));
                futures.add(dispatcher.submit(ECHO, HELLO));
            }
            futures.get(2).cancel(false);
            Thread.sleep(60);
            if (now)
            {
                dispatcher.shutdownNow();
            }
            else
            {
                dispatcher.close();
            }
            assertTrue(dispatcher.isTerminated());
            assertTrue(sleep.isDone());
            for (final CallFuture<String> future : futures)
            {
                assertTrue(future.isDone(), "every future completes, " + (now ? "shutdownNow" : "close"));
            }
            final MetricsSnapshot total = dispatcher.metrics().total();
            assertEquals(31, total.succeeded() + total.failed() + total.shed() + total.cancelled());
            assertEquals(10, total.shed(), "the expired calls are shed before shutdownNow's discard");
            assertEquals(1, total.cancelled());
        }
    }
}
