package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hot path's promises that no single call shows: no lost wake-up, no allocation on the caller-buffer path. */
class HotPathTest
{
    private static final CallType<String, String> ECHO = CallType.json("echo");

    /**
     * Callers that never spin park on every call, and three of them share a ring of two: every hand-off
     * (owner asleep, caller parked, producer waiting for room) happens thousands of times. A lost wake-up
     * would leave a call waiting out its ten-second timeout.
     */
    @ParameterizedTest
    @EnumSource(value = WaitMode.class, names = {"BACKOFF", "BLOCKING", "SLEEPING"})
    void shouldNeverLoseAWakeUp(final WaitMode mode) throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load())
            .capacity(2).waitMode(mode).callerSpin(Duration.ZERO).build())
        {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 3; t++)
            {
                final int id = t;
                callers.add(Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        for (int i = 0; i < 2_000; i++)
                        {
                            final String json = "{\"message\":\"" + id + "-" + i + "\"}";
                            final String reply = i % 2 == 0
                                ? dispatcher.call(ECHO, json, Duration.ofSeconds(10))
                                : dispatcher.submit(ECHO, json, Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
                            assertTrue(reply.contains(id + "-" + i), reply);
                        }
                    }
                    catch (final Throwable e)
                    {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (final Thread caller : callers)
            {
                caller.join(60_000);
            }
            assertNull(failure.get());
            assertEquals(6_000, dispatcher.metrics().total().succeeded());
        }
    }

    /** Caller and owner together allocate nothing per call when the caller brings its own buffers. */
    @Tag("load")
    @ParameterizedTest
    @EnumSource(WaitMode.class)
    void shouldAllocateNothingPerCallIntoCallerBuffers(final WaitMode mode) throws Exception
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).waitMode(mode).build();
             Arena arena = Arena.ofShared())
        {
            final MemorySegment request = arena.allocate(BenchSmall.REQUEST_SIZE);
            request.copyFrom(MemorySegment.ofArray(BenchSmall.request("zero", 0)));
            final MemorySegment response = arena.allocate(BenchSmall.RESPONSE_SIZE);
            // Warm up, and let the latency histograms grow past any value the measured calls record.
            dispatcher.call(CallType.json("sleep"), "{\"duration_ms\":300}");
            for (int i = 0; i < 30_000; i++)
            {
                dispatcher.callRaw(1, request, response);
            }
            final long owner = dispatcher.ownerThread().threadId();
            final long me = Thread.currentThread().threadId();
            final long calls = 20_000;
            // A per-call allocation shows in every window; a one-off (a histogram growing for a new maximum after
            // a scheduling hiccup) in one at most.
            final List<Long> windows = new ArrayList<>();
            for (int window = 0; window < 5; window++)
            {
                final long before = threads.getThreadAllocatedBytes(me) + threads.getThreadAllocatedBytes(owner);
                for (int i = 0; i < calls; i++)
                {
                    dispatcher.callRaw(1, request, response);
                }
                windows.add(threads.getThreadAllocatedBytes(me) + threads.getThreadAllocatedBytes(owner) - before);
            }
            assertTrue(windows.stream().anyMatch(bytes -> bytes < calls), mode + ": bytes per window of " + calls + " calls " + windows);
            assertEquals("value_for_zero", BenchSmall.value(response.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        }
    }

    /**
     * The owner clears each slot it has run, so a finished call's future, request and answer are not kept alive
     * for a lap of the ring (here 1024 calls that never come).
     */
    @org.junit.jupiter.api.Test
    void shouldNotKeepAFinishedCallAliveInItsSlot() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(1024).build())
        {
            final List<WeakReference<?>> finished = finishTwoCalls(dispatcher);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (finished.stream().anyMatch(reference -> reference.get() != null) && System.nanoTime() < deadline)
            {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(finished.get(0).get(), "the slot let go of the request");
            assertNull(finished.get(1).get(), "the slot let go of the future");
        }
    }

    /**
     * Runs two calls and returns weak references to the first one's request and the second one's future. In a method
     * of its own, so that no frame of the test holds them (an interpreted or instrumented frame may keep a block's dead
     * locals alive).
     */
    private static List<WeakReference<?>> finishTwoCalls(final PluginDispatcher dispatcher) throws Exception
    {
        final byte[] bytes = "{\"message\":\"forget me\"}".getBytes(StandardCharsets.UTF_8);
        dispatcher.submit(CallType.jsonBytes("echo"), bytes).get(5, TimeUnit.SECONDS);
        final CallFuture<String> future = dispatcher.submit(ECHO, "{\"message\":\"and me\"}");
        future.get(5, TimeUnit.SECONDS);
        return List.of(new WeakReference<>(bytes), new WeakReference<>(future));
    }
}
