package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edges of the dispatcher's verbs and lifecycle, against the fake unless the plugin's binary transport is needed: the
 * first sequence of a ring, a batch of exactly the capacity, a deadline that passes while waiting for room, calls refused
 * on the owner thread, and what close leaves behind (a stopped owner thread, the caller's interrupt, the counts).
 */
class DispatcherEdgesTest
{
    private static final CallType<String, String> FAKE = CallType.json("fake");
    private static final CallOptions TEN_SECONDS = CallOptions.timeout(Duration.ofSeconds(10));

    /** Runs {@code first} as the first call of a fresh dispatcher of capacity 4, whose first call takes sequence 0. */
    private static String firstCall(final Function<PluginDispatcher, CallFuture<String>> first) throws Exception
    {
        try (PluginDispatcher dispatcher = new DispatcherBuilder(new FakePlugin()).capacity(4).build())
        {
            return first.apply(dispatcher).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldAcceptTheFirstCallOfARingThroughEveryWaitingVerb() throws Exception
    {
        assertEquals("1", firstCall(d -> unchecked(() -> d.submit(FAKE, "1", Duration.ofSeconds(10)))));
        assertEquals("2", firstCall(d -> unchecked(() -> d.trySubmit(FAKE, "2", Duration.ofSeconds(10)).orElseThrow())));
        assertEquals("3", firstCall(d -> unchecked(() -> d.submit(FAKE, "3", TEN_SECONDS))));
        assertEquals("4", firstCall(d -> d.trySubmit(FAKE, "4", TEN_SECONDS).orElseThrow()));
        try (PluginDispatcher dispatcher = new DispatcherBuilder(new FakePlugin()).capacity(4).build())
        {
            assertEquals("5", dispatcher.call(FAKE, "5", Duration.ofSeconds(10)));
        }
    }

    @Test
    void shouldAcceptABatchOfExactlyTheCapacity() throws Exception
    {
        try (PluginDispatcher dispatcher = new DispatcherBuilder(new FakePlugin()).capacity(3).build())
        {
            final List<CallFuture<String>> batch = dispatcher.submitAll(FAKE, List.of("1", "2", "3"));
            assertEquals(List.of("1", "2", "3"), List.of(batch.get(0).get(), batch.get(1).get(), batch.get(2).get()));
            assertEquals("a batch of 4 calls does not fit the normal lane's capacity of 3",
                assertThrows(IllegalArgumentException.class, () -> dispatcher.submitAll(FAKE, List.of("1", "2", "3", "4"))).getMessage());
        }
    }

    @Test
    void shouldFailACallWhoseDeadlinePassesWhileItWaitsForRoom() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(fake).capacity(1).build())
        {
            final CallFuture<String> held = dispatcher.submit(FAKE, "\"hold\"");
            fake.awaitHolding();
            try
            {
                assertTrue(dispatcher.trySubmit(FAKE, "1", TEN_SECONDS).isEmpty(), "no room, and trySubmit does not wait");
                final long start = System.nanoTime();
                final CallFuture<String> late = dispatcher.submit(FAKE, "late", CallOptions.timeout(Duration.ofMillis(50)));
                final long waited = System.nanoTime() - start;
                assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(50) && waited < TimeUnit.SECONDS.toNanos(5), "waited " + waited);
                final DeadlineExceededException e = assertInstanceOf(DeadlineExceededException.class,
                    assertThrows(ExecutionException.class, () -> late.get(0, TimeUnit.SECONDS)).getCause(), "failed at once");
                assertEquals(Duration.ofMillis(50), e.timeout());
                assertTrue(e.lateBy().compareTo(Duration.ofSeconds(1)) < 0, "late by " + e.lateBy());
                assertTrue(!e.lateBy().isNegative(), "late by " + e.lateBy());
                assertEquals(2, dispatcher.totalMetrics().rejected(), "the trySubmit that found no room, and the late call");
            }
            finally
            {
                fake.release();
            }
            assertEquals("\"hold\"", held.get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("\"hold\""), fake.entered, "the late call never entered");
    }

    @Test
    void shouldRunACallWithoutDeadlineThroughItsOptions() throws Exception
    {
        try (PluginDispatcher dispatcher = new DispatcherBuilder(new FakePlugin()).defaultTimeout(Duration.ofMillis(1)).build())
        {
            assertEquals("1", dispatcher.call(FAKE, "1", CallOptions.noDeadline()));
        }
    }

    @Test
    void shouldRunCallsWithinTheirDeadlineWithMetricsOff() throws Exception
    {
        try (PluginDispatcher dispatcher = new DispatcherBuilder(new FakePlugin()).metrics(false).waitMode(WaitMode.BLOCKING).build())
        {
            assertEquals("1", dispatcher.call(FAKE, "1", TEN_SECONDS));
            assertEquals("2", dispatcher.submit(FAKE, "2", TEN_SECONDS).get(10, TimeUnit.SECONDS));
            assertEquals(WaitMode.BLOCKING, dispatcher.waitMode());
            assertEquals(0, dispatcher.totalMetrics().shed());
        }
    }

    @Test
    void shouldRefuseBlockingCallsOnTheOwnerThreadInEveryForm() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(fake).build())
        {
            final List<Class<?>> refusals = new ArrayList<>();
            final CallFuture<String> held = dispatcher.submit(FAKE, "\"hold\"");
            fake.awaitHolding();
            final CompletableFuture<Void> callback = held.thenRun(() ->
            {
                refusals.add(refusal(() -> dispatcher.call(FAKE, "1")));
                refusals.add(refusal(() -> dispatcher.call(FAKE, "2", Duration.ofSeconds(1))));
                refusals.add(refusal(() -> dispatcher.call(FAKE, "3", TEN_SECONDS)));
                refusals.add(refusal(() -> dispatcher.call(FAKE, "4", CallOptions.noDeadline())));
            });
            fake.release();
            callback.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(IllegalStateException.class, IllegalStateException.class, IllegalStateException.class,
                IllegalStateException.class), refusals);
        }
        assertEquals(List.of("\"hold\""), fake.entered, "none of them entered");
    }

    @NeedsSamplePlugin
    @Test
    void shouldRefuseARawCallOnTheOwnerThread() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build();
             Arena arena = Arena.ofShared())
        {
            final MemorySegment request = arena.allocate(BenchSmall.REQUEST_SIZE);
            request.copyFrom(MemorySegment.ofArray(BenchSmall.request("raw", 0)));
            final MemorySegment response = arena.allocate(BenchSmall.RESPONSE_SIZE);
            final AtomicReference<Class<?>> refusal = new AtomicReference<>();
            OwnerCallbacks.runOnOwner(dispatcher, () -> refusal.set(refusal(() -> dispatcher.callRaw(1, request, response))));
            assertTrue(Eventually.holds(() -> refusal.get() != null));
            assertEquals(IllegalStateException.class, refusal.get());
            assertEquals(BenchSmall.RESPONSE_SIZE, dispatcher.callRaw(1, request, response), "and off the owner it runs");
        }
    }

    /**
     * A producer waiting for room for a whole batch is woken at even sequences while a quarter of the ring is free, and
     * goes back to sleep while less than the batch is; when the last call of the ring ends at an odd sequence, only the
     * owner's end-of-batch check wakes it.
     */
    @NeedsSamplePlugin
    @Test
    void shouldWakeAProducerWaitingForAWholeBatchWhenTheLastCallOfTheRingEnds() throws Exception
    {
        final CallType<String, String> sleep = CallType.json("sleep");
        final CallType<String, String> echo = CallType.json("echo");
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(8).build())
        {
            final List<CallFuture<String>> first = new ArrayList<>();
            first.add(dispatcher.submit(sleep, "{\"duration_ms\":100}"));
            for (int i = 1; i < 7; i++)
            {
                first.add(dispatcher.submit(echo, "{\"message\":\"" + i + "\"}"));
            }
            first.add(dispatcher.submit(sleep, "{\"duration_ms\":100}"));
            final List<String> eight = Collections.nCopies(8, "{\"message\":\"again\"}");
            final List<CallFuture<String>> second = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> dispatcher.submitAll(echo, eight), "the batch got the whole ring once the last call ended");
            for (final CallFuture<String> future : second)
            {
                assertEquals("{\"length\":5,\"message\":\"again\"}", future.get(10, TimeUnit.SECONDS));
            }
            assertEquals("{\"slept_ms\":100}", first.get(7).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldStopTheOwnerThreadAndTerminateOnClose() throws Exception
    {
        for (final DispatcherBuilder builder : List.of(new DispatcherBuilder(new FakePlugin()),
            new DispatcherBuilder(new FakePlugin()).highLane(4, 2)))
        {
            final PluginDispatcher dispatcher = builder.build();
            assertEquals("1", dispatcher.call(FAKE, "1"));
            assertFalse(dispatcher.isTerminated());
            assertFalse(dispatcher.awaitTermination(Duration.ofMillis(20)), "running until closed");
            dispatcher.close();
            assertTrue(dispatcher.isTerminated());
            assertTrue(dispatcher.awaitTermination(Duration.ofMillis(1)));
            dispatcher.ownerThread().join(5_000);
            assertFalse(dispatcher.ownerThread().isAlive(), "the owner thread ends");
        }
    }

    @Test
    void shouldKeepTheClosersInterruptWhileItWaitsForTheCallsToFinish() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        final PluginDispatcher dispatcher = new DispatcherBuilder(fake).build();
        final CallFuture<String> held = dispatcher.submit(FAKE, "\"hold\"");
        fake.awaitHolding();
        final AtomicReference<Boolean> interruptedAfterClose = new AtomicReference<>();
        final Thread closer = Thread.ofPlatform().start(() ->
        {
            dispatcher.close();
            interruptedAfterClose.set(Thread.currentThread().isInterrupted());
        });
        assertTrue(Eventually.holds(() -> closer.getState() == Thread.State.WAITING), "the closer waits for the held call");
        closer.interrupt();
        Thread.sleep(50);
        assertTrue(closer.isAlive(), "an interrupt does not end the wait");
        fake.release();
        closer.join(10_000);
        assertEquals(Boolean.TRUE, interruptedAfterClose.get(), "the interrupt is kept for the closer");
        assertEquals("\"hold\"", held.get());
    }

    @Test
    void shouldCountWhatWasSubmittedToBothLanesAndTheirCapacities() throws Exception
    {
        try (PluginDispatcher dispatcher = new DispatcherBuilder(new FakePlugin()).capacity(8).highLane(4, 2).build())
        {
            dispatcher.call(FAKE, "1");
            dispatcher.call(FAKE, "2", CallOptions.defaults().withLane(Lane.HIGH));
            dispatcher.call(FAKE, "3", CallOptions.defaults().withLane(Lane.HIGH));
            final MetricsSnapshot total = dispatcher.totalMetrics();
            assertEquals(3, total.submitted());
            assertEquals(12, total.capacity(), "both lanes");
        }
        final PluginDispatcher unused = new DispatcherBuilder(new FakePlugin()).capacity(4).build();
        unused.close();
        assertEquals(0, unused.totalMetrics().submitted(), "STOP is not a call");
    }

    @FunctionalInterface
    private interface Call
    {
        Object run() throws Exception;
    }

    private static Class<?> refusal(final Call call)
    {
        try
        {
            call.run();
            return null;
        }
        catch (final Exception e)
        {
            return e.getClass();
        }
    }

    private static <T> T unchecked(final Call call)
    {
        try
        {
            @SuppressWarnings("unchecked")
            final T result = (T)call.run();
            return result;
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    /**
     * The owner wakes a producer waiting for room every quarter of the ring, not only when its batch ends: here after the
     * third of eight 50 ms calls, while five are still to run.
     */
    @NeedsSamplePlugin
    @Test
    void shouldWakeAWaitingProducerOnceAQuarterOfTheRingIsFreeBeforeTheBatchEnds() throws Exception
    {
        final CallType<String, String> sleep = CallType.json("sleep");
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(8).build())
        {
            final List<CallFuture<String>> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++)
            {
                batch.add(dispatcher.submit(sleep, "{\"duration_ms\":50}"));
            }
            final CallFuture<String> waiting = dispatcher.submit(sleep, "{\"duration_ms\":1}", Duration.ofSeconds(10));
            assertFalse(batch.get(7).isDone(), "room came while the batch still ran");
            assertEquals("{\"slept_ms\":1}", waiting.get(10, TimeUnit.SECONDS));
        }
    }

    /** A shed call gives its room back, fails with how late it was, and counts as shed, not cancelled. */
    @NeedsSamplePlugin
    @Test
    void shouldGiveBackTheRoomOfAShedCall() throws Exception
    {
        final CallType<String, String> sleep = CallType.json("sleep");
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(2).build())
        {
            final CallFuture<String> slow = dispatcher.submit(sleep, "{\"duration_ms\":100}");
            final CallFuture<String> shed = dispatcher.submit(sleep, "{\"duration_ms\":1}", CallOptions.timeout(Duration.ofMillis(10)));
            final DeadlineExceededException late = assertInstanceOf(DeadlineExceededException.class,
                assertThrows(ExecutionException.class, () -> shed.get(10, TimeUnit.SECONDS)).getCause());
            assertTrue(!late.lateBy().isNegative() && late.lateBy().compareTo(Duration.ofSeconds(2)) < 0, "late by " + late.lateBy());
            slow.get(10, TimeUnit.SECONDS);
            final CallFuture<String> next = dispatcher.submit(sleep, "{\"duration_ms\":100}");
            assertTrue(dispatcher.trySubmit(sleep, "{\"duration_ms\":1}").isPresent(), "the shed call's room is free again");
            next.get(10, TimeUnit.SECONDS);
            final MetricsSnapshot total = dispatcher.totalMetrics();
            assertEquals(1, total.shed());
            assertEquals(0, total.cancelled());
        }
    }

    @Test
    void shouldCountFailuresPerTypeAndEveryFinishedCall() throws Exception
    {
        try (PluginDispatcher dispatcher = new DispatcherBuilder(new FakePlugin()).build())
        {
            assertEquals("1", dispatcher.call(FAKE, "1"));
            final CallFuture<String> cancelled = dispatcher.submit(FAKE, "2");
            cancelled.cancel(false);
            cancelled.handle((r, e) -> r).get(10, TimeUnit.SECONDS);
            dispatcher.call(FAKE, "3", TEN_SECONDS);
            assertThrows(dev.ringbridge.ffi.PluginException.class, () -> dispatcher.call(FAKE, "\"panic\""));
            final TypeMetrics fake = dispatcher.totalMetrics().byType().get("fake");
            assertEquals(1, fake.failed(), "the panic");
            assertTrue(dispatcher.metrics().latencyEnabled());
            assertEquals(dispatcher.totalMetrics().succeeded() + dispatcher.totalMetrics().failed() + dispatcher.totalMetrics().cancelled(),
                dispatcher.metrics().finishedCount());
            assertTrue(dispatcher.metrics().finishedCount() >= 3);
        }
        try (PluginDispatcher quiet = new DispatcherBuilder(new FakePlugin()).metrics(false).build())
        {
            assertFalse(quiet.metrics().latencyEnabled());
        }
    }

    @NeedsSamplePlugin
    @Test
    void shouldRecordEachLatencyAsTheTimeBetweenItsTwoEnds() throws Exception
    {
        final CallType<String, String> sleep = CallType.json("sleep");
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final CallFuture<String> first = dispatcher.submit(sleep, "{\"duration_ms\":60}");
            final CallFuture<String> second = dispatcher.submit(sleep, "{\"duration_ms\":1}");
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            final MetricsSnapshot total = dispatcher.totalMetrics();
            final long ms = 1_000_000;
            assertTrue(total.serviceTime().getMaxValue() >= 55 * ms && total.serviceTime().getMaxValue() < 5_000 * ms,
                "service " + total.serviceTime().getMaxValue());
            assertTrue(total.queueWait().getMaxValue() >= 40 * ms && total.queueWait().getMaxValue() < 5_000 * ms,
                "the second call waited for the first: " + total.queueWait().getMaxValue());
            assertTrue(total.endToEnd().getMaxValue() >= 55 * ms && total.endToEnd().getMaxValue() < 5_000 * ms,
                "end to end " + total.endToEnd().getMaxValue());
        }
    }
}
