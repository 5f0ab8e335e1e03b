package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.LifecycleState;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@NeedsSamplePlugin
class PluginDispatcherTest
{
    record EchoRequest(String message)
    {
    }

    record EchoResponse(long length, String message)
    {
    }

    record SleepRequest(long durationMs)
    {
    }

    record SleepResponse(long sleptMs)
    {
    }

    private NativePlugin plugin;
    private PluginDispatcher dispatcher;

    @BeforeEach
    void start() throws Exception
    {
        plugin = SamplePlugin.load();
        dispatcher = PluginDispatcher.builder(plugin).capacity(64).threadName("test-owner").build();
    }

    @AfterEach
    void stop()
    {
        dispatcher.close();
        assertTrue(plugin.isClosed(), "closing the dispatcher closes its plugin");
    }

    @Test
    void shouldCallAndSubmitJson() throws Exception
    {
        assertEquals("{\"length\":5,\"message\":\"Hello\"}", dispatcher.call(CallType.json("echo"), "{\"message\":\"Hello\"}"));
        assertEquals("{\"slept_ms\":1}", dispatcher.submit(CallType.json("sleep"), "{\"duration_ms\":1}").get(5, TimeUnit.SECONDS));
        assertEquals("{\"length\":1,\"message\":\"x\"}", dispatcher.call(CallType.json("echo"), "{\"message\":\"x\"}", Duration.ofSeconds(5)));
        assertArrayEquals("{\"length\":1,\"message\":\"b\"}".getBytes(),
            dispatcher.submit(CallType.jsonBytes("echo"), "{\"message\":\"b\"}".getBytes()).get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldMapTypedCallsWithSnakeCaseNames() throws Exception
    {
        assertEquals(new EchoResponse(5, "typed"),
            dispatcher.call(CallType.typed("echo", EchoRequest.class, EchoResponse.class), new EchoRequest("typed")));
        assertEquals(new SleepResponse(2), dispatcher.submit(CallType.typed("sleep", SleepRequest.class, SleepResponse.class),
            new SleepRequest(2)).get(5, TimeUnit.SECONDS));
        final IllegalStateException mismatch = assertThrows(IllegalStateException.class,
            () -> dispatcher.call(CallType.typed("sleep", SleepRequest.class, Thread.class), new SleepRequest(1)));
        assertTrue(mismatch.getMessage().contains("does not map to java.lang.Thread"), mismatch.getMessage());
    }

    @Test
    void shouldCallTheBinaryTransport() throws Exception
    {
        final byte[] response = dispatcher.call(CallType.binary(1), BenchSmall.request("bin", 1));
        assertEquals("value_for_bin", BenchSmall.value(response));
        try (var arena = java.lang.foreign.Arena.ofShared())
        {
            final var request = arena.allocate(BenchSmall.REQUEST_SIZE);
            request.copyFrom(java.lang.foreign.MemorySegment.ofArray(BenchSmall.request("seg", 0)));
            final var out = arena.allocate(BenchSmall.RESPONSE_SIZE);
            assertEquals(BenchSmall.RESPONSE_SIZE, dispatcher.callRaw(1, request, out));
            assertEquals("value_for_seg", BenchSmall.value(out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            for (int i = 0; i < 1_000; i++)
            {
                assertEquals(BenchSmall.RESPONSE_SIZE, dispatcher.callRaw(1, request, out), "the reused completion serves call after call");
            }
            final PluginException unknown = assertThrows(PluginException.class, () -> dispatcher.callRaw(42, request, out));
            assertEquals("Unknown message ID: 42", unknown.getMessage());
            assertEquals(BenchSmall.RESPONSE_SIZE, dispatcher.callRaw(1, request, out));
        }
    }

    @Tag("load")
    @Test
    void shouldSerializeEveryCallOnOneOwnerThread() throws Exception
    {
        final int producers = 8;
        final int perProducer = 20_000;
        final ExecutorService pool = Executors.newFixedThreadPool(producers);
        try
        {
            final List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final int producer = p;
                done.add(pool.submit(() ->
                {
                    final List<CallFuture<String>> futures = new ArrayList<>(perProducer);
                    for (int i = 0; i < perProducer; i++)
                    {
                        futures.add(dispatcher.submit(CallType.json("echo"), "{\"message\":\"p" + producer + "-" + i + "\"}"));
                    }
                    for (int i = 0; i < perProducer; i++)
                    {
                        final String reply = futures.get(i).get(60, TimeUnit.SECONDS);
                        assertEquals("p" + producer + "-" + i, SamplePlugin.textField(reply, "message"), "response matched to its request");
                    }
                    return perProducer;
                }));
            }
            for (final var future : done)
            {
                assertEquals(perProducer, future.get(120, TimeUnit.SECONDS));
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        final String stats = dispatcher.call(CallType.json("stats"), "{}");
        assertEquals(producers * perProducer, SamplePlugin.longField(stats, "calls"));
        assertEquals(1, SamplePlugin.longField(stats, "max_in_flight"), "never more than one call in flight: " + stats);
        assertEquals(1, SamplePlugin.longField(stats, "calling_threads"), "one calling thread: " + stats);
        assertEquals(0, SamplePlugin.longField(stats, "live_buffers"));
    }

    @Test
    void shouldKeepEachProducersOrder() throws Exception
    {
        final int producers = 4;
        final int perProducer = 5_000;
        final List<List<Integer>> completionOrder = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            completionOrder.add(java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        final List<Thread> threads = new ArrayList<>();
        final List<CompletableFuture<?>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            threads.add(Thread.ofPlatform().start(() ->
            {
                for (int i = 0; i < perProducer; i++)
                {
                    final int index = i;
                    try
                    {
                        // Completed on the owner thread in execution order.
                        all.add(dispatcher.submit(CallType.json("echo"), "{\"message\":\"" + i + "\"}")
                            .thenRun(() -> completionOrder.get(producer).add(index)));
                    }
                    catch (final InterruptedException e)
                    {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (final List<Integer> order : completionOrder)
        {
            assertEquals(perProducer, order.size());
            for (int i = 0; i < perProducer; i++)
            {
                assertEquals(i, order.get(i));
            }
        }
    }

    @Test
    void shouldCarryOnAfterPluginErrors() throws Exception
    {
        final CallFuture<String> before = dispatcher.submit(CallType.json("echo"), "{\"message\":\"before\"}");
        final CallFuture<String> failing = dispatcher.submit(CallType.json("fail"), "{\"message\":\"boom\"}");
        final CallFuture<String> unknown = dispatcher.submit(CallType.json("nope"), "{}");
        final CallFuture<String> after = dispatcher.submit(CallType.json("echo"), "{\"message\":\"after\"}");

        assertEquals("before", SamplePlugin.textField(before.get(5, TimeUnit.SECONDS), "message"));
        final ExecutionException e = assertThrows(ExecutionException.class, () -> failing.get(5, TimeUnit.SECONDS));
        final PluginException plugin = assertInstanceOf(PluginException.class, e.getCause());
        assertEquals(7, plugin.errorCode());
        assertEquals("handler error: boom", plugin.getMessage());
        assertEquals(ErrorKind.UNKNOWN_MESSAGE_TYPE,
            assertInstanceOf(PluginException.class, assertThrows(ExecutionException.class, () -> unknown.get(5, TimeUnit.SECONDS)).getCause()).kind());
        assertEquals("after", SamplePlugin.textField(after.get(5, TimeUnit.SECONDS), "message"));

        final PluginException blocking = assertThrows(PluginException.class, () -> dispatcher.call(CallType.json("fail"), "{\"message\":\"direct\"}"));
        assertEquals("handler error: direct", blocking.getMessage());
        assertEquals(3, dispatcher.metrics().total().failed());
    }

    @Test
    void shouldFailFastOnceAPanicLeftThePluginFailed() throws Exception
    {
        final CallFuture<String> ok = dispatcher.submit(CallType.json("echo"), "{\"message\":\"ok\"}");
        final CallFuture<String> panic = dispatcher.submit(CallType.json("panic"), "{\"message\":\"mid-stream\"}");
        final List<CallFuture<String>> later = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            later.add(dispatcher.submit(CallType.json("echo"), "{\"message\":\"late\"}"));
        }
        assertTrue(ok.get(5, TimeUnit.SECONDS).contains("ok"));
        final PluginException panicked = assertInstanceOf(PluginException.class,
            assertThrows(ExecutionException.class, () -> panic.get(5, TimeUnit.SECONDS)).getCause());
        assertEquals(11, panicked.errorCode());
        for (final CallFuture<String> future : later)
        {
            final PluginException failed = assertInstanceOf(PluginException.class,
                assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS)).getCause());
            assertEquals(ErrorKind.INVALID_STATE, failed.kind());
            assertTrue(failed.getMessage().contains("FAILED"), failed.getMessage());
        }
        assertEquals(LifecycleState.FAILED, plugin.state());
        assertFalse(dispatcher.isShutdown(), "the dispatcher itself keeps running");
    }

    @Test
    void shouldRefuseBlockingCallsFromTheOwnerThread() throws Exception
    {
        final AtomicReference<Throwable> fromCall = new AtomicReference<>();
        final AtomicReference<Throwable> fromGet = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        OwnerCallbacks.runOnOwner(dispatcher, () ->
        {
            try
            {
                dispatcher.call(CallType.json("echo"), "{\"message\":\"inner\"}");
            }
            catch (final Throwable t)
            {
                fromCall.set(t);
            }
            try
            {
                dispatcher.submit(CallType.json("sleep"), "{\"duration_ms\":1}").get();
            }
            catch (final Throwable t)
            {
                fromGet.set(t);
            }
            done.countDown();
        });
        assertTrue(done.await(5, TimeUnit.SECONDS), "the callback must not deadlock");
        assertInstanceOf(IllegalStateException.class, fromCall.get());
        assertTrue(fromCall.get().getMessage().contains("would wait for itself"), fromCall.get().getMessage());
        assertInstanceOf(IllegalStateException.class, fromGet.get());
        assertEquals("{\"length\":5,\"message\":\"after\"}", dispatcher.call(CallType.json("echo"), "{\"message\":\"after\"}"));
    }

    @Test
    void shouldRunCallbacksOnTheCompletionExecutor() throws Exception
    {
        final ExecutorService callbacks = Executors.newFixedThreadPool(2, r -> new Thread(r, "callbacks"));
        try (PluginDispatcher withExecutor = PluginDispatcher.builder(SamplePlugin.load()).completionExecutor(callbacks).build())
        {
            // Hold the owner so the next call is still pending when its callback is attached.
            final CountDownLatch release = new CountDownLatch(1);
            final CallFuture<String> held = withExecutor.submit(CallType.json("sleep"), "{\"duration_ms\":20}");
            held.thenRun(() -> awaitQuietly(release));
            final CompletableFuture<String> thread = withExecutor.submit(CallType.json("echo"), "{\"message\":\"x\"}")
                .thenApply(reply -> Thread.currentThread().getName());
            release.countDown();
            assertEquals("callbacks", thread.get(5, TimeUnit.SECONDS));
            assertEquals("callbacks", withExecutor.submit(CallType.json("echo"), "{\"message\":\"y\"}")
                .thenApplyAsync(reply -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS),
                "the *Async methods default to the completion executor");
            // A blocking call is allowed in such a callback: it does not run on the owner thread
            // (its own completion needs a second executor thread).
            final String nested = withExecutor.submit(CallType.json("echo"), "{\"message\":\"a\"}")
                .thenApply(reply ->
                {
                    try
                    {
                        return withExecutor.call(CallType.json("echo"), "{\"message\":\"nested\"}");
                    }
                    catch (final Exception e)
                    {
                        throw new IllegalStateException(e);
                    }
                }).get(5, TimeUnit.SECONDS);
            assertTrue(nested.contains("nested"));
        }
        finally
        {
            callbacks.shutdownNow();
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldRefuseBadInputOnTheCallersThread()
    {
        assertThrows(IllegalArgumentException.class, () -> CallType.json(null));
        assertThrows(NullPointerException.class, () -> dispatcher.submit(null, "{}"));
        assertThrows(IllegalArgumentException.class, () -> dispatcher.submit(CallType.json(""), "{}"));
        assertThrows(IllegalArgumentException.class, () -> dispatcher.submit(CallType.json("a\0b"), "{}"));
        assertThrows(NullPointerException.class, () -> dispatcher.submit(CallType.json("echo"), null));
        assertThrows(IllegalArgumentException.class, () -> PluginDispatcher.builder(plugin).capacity(0));
        final IllegalArgumentException notUtf8 = assertThrows(IllegalArgumentException.class,
            () -> dispatcher.submit(CallType.jsonBytes("echo"), new byte[]{'"', (byte)0xFF, '"'}));
        assertTrue(notUtf8.getMessage().contains("bad byte 0xff at offset 1"), notUtf8.getMessage());
        final IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class,
            () -> dispatcher.call(CallType.json("echo"), "{\"message\":\"\uD800\"}"));
        assertTrue(surrogate.getMessage().contains("U+D800 at index 12"), surrogate.getMessage());
        assertEquals(0, dispatcher.metrics().submittedCount(), "bad input never reaches the ring");
    }

    @Test
    void shouldRecordMetricsForEveryCall() throws Exception
    {
        for (int i = 0; i < 100; i++)
        {
            dispatcher.call(CallType.json("echo"), "{\"message\":\"m\"}");
        }
        assertThrows(PluginException.class, () -> dispatcher.call(CallType.json("fail"), "{\"message\":\"x\"}"));
        final MetricsReader reader = dispatcher.newMetricsReader();
        final MetricsSnapshot interval = dispatcher.totalMetrics();
        assertEquals(101, interval.endToEnd().getTotalCount());
        assertEquals(101, interval.serviceTime().getTotalCount());
        assertEquals(101, interval.queueWait().getTotalCount());
        assertEquals(100, interval.succeeded());
        assertEquals(1, interval.failed());
        assertEquals(101, interval.submitted());
        assertEquals(0, interval.pending());
        assertTrue(interval.serviceTime().getValueAtPercentile(50) > 0);
        assertTrue(interval.summary().contains("service time"), interval.summary());

        dispatcher.call(CallType.json("echo"), "{\"message\":\"m\"}");
        assertEquals(102, dispatcher.metrics().total().endToEnd().getTotalCount());
        dispatcher.call(CallType.json("echo"), "{\"message\":\"m\"}");
        assertEquals(2, reader.next().endToEnd().getTotalCount(),
            "a reader's interval covers the calls since it was made, and total() in between takes nothing from it");
        assertEquals(103, dispatcher.metrics().total().endToEnd().getTotalCount());
    }
}
