package dev.ringbridge.ffi;

import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@NeedsSamplePlugin
class NativePluginTest
{
    private NativePlugin plugin;

    @BeforeEach
    void load() throws PluginLoadException
    {
        plugin = SamplePlugin.load();
    }

    @AfterEach
    void close()
    {
        plugin.close();
    }

    @Test
    void shouldEchoWithUtf8ByteLength() throws PluginException
    {
        assertEquals("{\"length\":5,\"message\":\"Hello\"}", plugin.call("echo", "{\"message\":\"Hello\"}"));
        final String reply = plugin.call("echo", "{\"message\":\"h\u00e9llo \u20ac\"}");
        assertEquals(10, SamplePlugin.longField(reply, "length"));
        assertEquals("h\u00e9llo \u20ac", SamplePlugin.textField(reply, "message"));
    }

    @Test
    void shouldSleepForTheRequestedTime() throws PluginException
    {
        final long start = System.nanoTime();
        assertEquals("{\"slept_ms\":30}", plugin.call("sleep", "{\"duration_ms\":30}"));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    void shouldReturnPayloadBytesForByteRequests() throws PluginException
    {
        final byte[] reply = plugin.call("echo", "{\"message\":\"bytes\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"length\":5,\"message\":\"bytes\"}", new String(reply, StandardCharsets.UTF_8));
    }

    @Test
    void shouldReportHandlerErrorWithCodeAndMessageOnly()
    {
        final PluginException e = assertThrows(PluginException.class, () -> plugin.call("fail", "{\"message\":\"boom\"}"));
        assertEquals(7, e.errorCode());
        assertEquals(ErrorKind.HANDLER_ERROR, e.kind());
        assertEquals("handler error: boom", e.getMessage());
        assertEquals(LifecycleState.ACTIVE, plugin.state());
    }

    @Test
    void shouldKeepTheCodeAndTheStartOfAHugeErrorMessage() throws PluginException
    {
        final String huge = "y".repeat(20_000_001);
        final PluginException e = assertThrows(PluginException.class, () -> plugin.call("fail", "{\"message\":\"" + huge + "\"}"));
        assertEquals(ErrorKind.HANDLER_ERROR, e.kind());
        assertTrue(e.getMessage().startsWith("handler error: yyyy"), () -> e.getMessage().substring(0, 40));
        assertTrue(e.getMessage().length() < 70_000, () -> e.getMessage().length() + " chars");
        assertEquals(LifecycleState.ACTIVE, plugin.state());
    }

    @Test
    void shouldReportUnknownTypeTagAndBadJson()
    {
        final PluginException unknown = assertThrows(PluginException.class, () -> plugin.call("nope", "{}"));
        assertEquals(ErrorKind.UNKNOWN_MESSAGE_TYPE, unknown.kind());
        assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());

        final PluginException badJson = assertThrows(PluginException.class, () -> plugin.call("echo", "{not json"));
        assertEquals(5, badJson.errorCode());

        final PluginException missing = assertThrows(PluginException.class, () -> plugin.call("echo", "{}"));
        assertEquals(ErrorKind.SERIALIZATION_ERROR, missing.kind());
        assertTrue(missing.getMessage().contains("message"), missing.getMessage());
    }

    @Test
    void shouldFailThePluginOnPanicAndThenFailFast() throws PluginException
    {
        final PluginException panic = assertThrows(PluginException.class, () -> plugin.call("panic", "{\"message\":\"kaboom\"}"));
        assertEquals(11, panic.errorCode());
        assertEquals(ErrorKind.INTERNAL, panic.kind());
        assertTrue(panic.getMessage().startsWith("Plugin panicked"), panic.getMessage());
        assertTrue(panic.getMessage().contains("kaboom"), panic.getMessage());
        assertEquals(LifecycleState.FAILED, plugin.state());

        final PluginException next = assertThrows(PluginException.class, () -> plugin.call("echo", "{\"message\":\"x\"}"));
        assertEquals(ErrorKind.INVALID_STATE, next.kind());
        assertTrue(next.getMessage().contains("FAILED"), next.getMessage());
    }

    @Test
    void shouldTellAPanicByCodeAndStateNotByItsText() throws PluginException
    {
        // Code 11 that reads like a panic, from a plugin still ACTIVE: an internal error, no reason to stop.
        assertEquals(ErrorKind.INTERNAL, plugin.failure(11, "Plugin panicked: no, an ordinary internal error").kind());
        assertEquals("{\"length\":1,\"message\":\"x\"}", plugin.call("echo", "{\"message\":\"x\"}"));

        // A real panic, answered in a framework's own words: the plugin is FAILED, and the host must see it.
        panicUnseenByTheHost(plugin);
        assertEquals(LifecycleState.FAILED, plugin.state());
        assertEquals(11, plugin.failure(11, "the plugin crashed (framework-specific text)").errorCode());
        final PluginException next = assertThrows(PluginException.class, () -> plugin.call("echo", "{\"message\":\"x\"}"));
        assertEquals(ErrorKind.INVALID_STATE, next.kind());
        assertTrue(next.getMessage().contains("is FAILED after a panic and accepts no more calls")
            && next.getMessage().contains("the plugin crashed (framework-specific text)"), next.getMessage());
    }

    /** Makes the plugin panic through the raw downcall, so that NativePlugin never reads the answer. */
    private static void panicUnseenByTheHost(final NativePlugin plugin)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment request = arena.allocateFrom("{}");
            final MemorySegment buffer = plugin.symbols().pluginCall(arena, plugin.handle(), arena.allocateFrom("panic"), request, 2);
            assertEquals(11, FfiBuffer.errorCode(buffer));
            plugin.symbols().pluginFreeBuffer(buffer);
        }
    }

    @Test
    void shouldRefuseBadTypeTagsBeforeTheNativeCall()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plugin.call(null, "{}")).getMessage().contains("null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plugin.call("", "{}")).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plugin.call("ec\0ho", "{}")).getMessage().contains("NUL"));
    }

    @Test
    void shouldRefuseLoneSurrogatesInTypeTagsAndRequestsBeforeTheNativeCall() throws PluginException
    {
        final IllegalArgumentException tag = assertThrows(IllegalArgumentException.class, () -> plugin.call("\uD800", "{}"));
        assertTrue(tag.getMessage().startsWith("type tag has a lone surrogate U+D800 at index 0"), tag.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TypeTag.check("echo\uDFFF"));

        final IllegalArgumentException request = assertThrows(IllegalArgumentException.class,
            () -> plugin.call("echo", "{\"message\":\"a\uD800b\"}"));
        assertTrue(request.getMessage().startsWith("request has a lone surrogate U+D800 at index 13"), request.getMessage());
        try (CallSession session = plugin.openSession())
        {
            assertThrows(IllegalArgumentException.class, () -> session.call("echo", "{\"message\":\"\uDC00\"}"));
        }
        assertEquals(0, SamplePlugin.longField(SamplePlugin.stats(plugin), "calls"), "nothing reached the plugin");
        assertEquals("\uD83D\uDE00?", SamplePlugin.textField(plugin.call("echo", "{\"message\":\"\uD83D\uDE00?\"}"), "message"));
    }

    @Test
    void shouldRefuseRequestsThatAreNotUtf8()
    {
        final byte[] bad = {'{', '"', 'm', '"', ':', '"', (byte)0xC3, (byte)0x28, '"', '}'};
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plugin.call("echo", bad));
        assertTrue(e.getMessage().contains("UTF-8") && e.getMessage().contains("offset 6"), e.getMessage());
    }

    @Test
    void shouldRefuseCallsAfterCloseAndCloseIdempotently()
    {
        plugin.close();
        plugin.close();
        assertTrue(plugin.isClosed());
        assertEquals(LifecycleState.STOPPED, plugin.state());
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> plugin.call("echo", "{\"message\":\"x\"}"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> plugin.rejectedCount());
        assertThrows(IllegalStateException.class, plugin::openSession);
    }

    @Test
    void shouldCloseASessionIdempotentlyAndRefuseItsCallsAfterwards() throws PluginException
    {
        final CallSession session = plugin.openSession();
        assertEquals("{\"length\":1,\"message\":\"x\"}", session.call("echo", "{\"message\":\"x\"}"));
        session.close();
        session.close();
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> session.call("echo", "{\"message\":\"x\"}"));
        assertEquals("this CallSession is closed", e.getMessage());
        assertFalse(plugin.isClosed(), "closing a session leaves the plugin open");
        assertEquals("{\"length\":1,\"message\":\"y\"}", plugin.call("echo", "{\"message\":\"y\"}"));
    }

    @Test
    void shouldReturnLargeResponses() throws PluginException
    {
        final String reply = plugin.call("large", "{\"size\":3000000}");
        assertEquals(3_000_000 + "{\"data\":\"\"}".length(), reply.length());
        assertEquals(0, SamplePlugin.longField(SamplePlugin.stats(plugin), "live_buffers"));
    }

    @Test
    void shouldServeEightThreadsAtOnce() throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try
        {
            final List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++)
            {
                final int thread = t;
                results.add(pool.submit((Callable<Integer>)() ->
                {
                    for (int i = 0; i < 500; i++)
                    {
                        final String message = "t" + thread + "-" + i;
                        final String reply = plugin.call("echo", "{\"message\":\"" + message + "\"}");
                        assertEquals(message, SamplePlugin.textField(reply, "message"));
                    }
                    return 500;
                }));
            }
            for (final Future<Integer> result : results)
            {
                assertEquals(500, result.get(60, TimeUnit.SECONDS));
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        final String stats = SamplePlugin.stats(plugin);
        assertEquals(4000, SamplePlugin.longField(stats, "calls"));
        assertTrue(SamplePlugin.longField(stats, "calling_threads") >= 8, stats);
        assertEquals(0, SamplePlugin.longField(stats, "live_buffers"));
    }

    @Test
    void shouldLeaveNoLiveNativeBuffersAfterTenThousandCalls() throws PluginException
    {
        try (CallSession session = plugin.openSession())
        {
            for (int i = 0; i < 10_000; i++)
            {
                switch (i % 4)
                {
                    case 0 -> session.call("echo", "{\"message\":\"m" + i + "\"}");
                    case 1 -> assertThrows(PluginException.class, () -> session.call("fail", "{\"message\":\"e\"}"));
                    case 2 -> session.callRaw(1, BenchSmall.request("k" + i, 1));
                    default -> assertThrows(PluginException.class, () -> session.callRaw(42, new byte[4]));
                }
            }
        }
        final String stats = SamplePlugin.stats(plugin);
        assertEquals(10_000, SamplePlugin.longField(stats, "calls"));
        assertEquals(0, SamplePlugin.longField(stats, "live_buffers"), stats);
    }

    @Test
    void shouldSurviveFiftyLoadCloseCycles() throws Exception
    {
        for (int i = 0; i < 50; i++)
        {
            try (NativePlugin cycle = SamplePlugin.load())
            {
                assertEquals(LifecycleState.ACTIVE, cycle.state());
                assertEquals("{\"length\":1,\"message\":\"" + (i % 10) + "\"}", cycle.call("echo", "{\"message\":\"" + (i % 10) + "\"}"));
            }
        }
        assertEquals(LifecycleState.ACTIVE, plugin.state());
        assertEquals(0, SamplePlugin.longField(SamplePlugin.stats(plugin), "live_buffers"));
    }

    @Test
    void shouldCountCallsRejectedByTheConcurrencyLimit() throws Exception
    {
        try (NativePlugin limited = NativePlugin.load(SamplePlugin.library(), PluginConfig.builder().maxConcurrentOps(1).build()))
        {
            final java.util.concurrent.atomic.AtomicInteger rejections = new java.util.concurrent.atomic.AtomicInteger();
            final java.util.concurrent.CountDownLatch slept = new java.util.concurrent.CountDownLatch(1);
            // Either side may be the one refused, so the sleeper retries until its sleep has run.
            final Thread sleeper = Thread.ofPlatform().start(() ->
            {
                while (slept.getCount() > 0)
                {
                    try
                    {
                        limited.call("sleep", "{\"duration_ms\":300}");
                        slept.countDown();
                    }
                    catch (final PluginException e)
                    {
                        assertEquals(ErrorKind.TOO_MANY_REQUESTS, e.kind());
                        rejections.incrementAndGet();
                    }
                }
            });
            PluginException rejected = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((rejected == null || slept.getCount() > 0) && System.nanoTime() < deadline)
            {
                try
                {
                    limited.call("echo", "{\"message\":\"x\"}");
                    Thread.sleep(5);
                }
                catch (final PluginException e)
                {
                    rejected = e;
                    rejections.incrementAndGet();
                }
            }
            sleeper.join(10_000);
            assertTrue(rejected != null, "a call beside the running sleep must be rejected");
            assertEquals(ErrorKind.TOO_MANY_REQUESTS, rejected.kind());
            assertEquals(rejections.get(), limited.rejectedCount(), "the plugin counts every rejection we saw");
        }
    }

    @Test
    void shouldRefuseSessionUseFromAnotherThread() throws Exception
    {
        try (CallSession session = plugin.openSession())
        {
            final Throwable[] seen = new Throwable[1];
            final Thread other = Thread.ofPlatform().start(() ->
            {
                try
                {
                    session.call("echo", "{\"message\":\"x\"}");
                }
                catch (final Throwable t)
                {
                    seen[0] = t;
                }
            });
            other.join();
            assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
            assertTrue(seen[0].getMessage().contains("belongs to thread"), seen[0].getMessage());
            assertFalse(session.call("echo", "{\"message\":\"still mine\"}").isEmpty());
        }
    }
}
