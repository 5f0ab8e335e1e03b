package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every verb of a pool reaches an instance of the real sample plugin and returns its answer; the pool adds up its instances. */
class PluginPoolCallsTest
{
    private static final CallType<String, String> ECHO = CallType.json("echo");
    private static final CallType<String, String> SLEEP = CallType.json("sleep");
    private static final CallType<String, String> FAIL = CallType.json("fail");
    private static final CallOptions KEYED = CallOptions.timeout(Duration.ofSeconds(10)).withKey("k");
    private static final CallOptions IDEMPOTENT = CallOptions.timeout(Duration.ofSeconds(10)).withIdempotent();

    private static PluginPool pool;

    @BeforeAll
    static void start() throws Exception
    {
        pool = PluginPool.builder(SamplePlugin::load).size(2).instances(b -> b.capacity(16)).build();
    }

    @AfterAll
    static void stop()
    {
        pool.close();
    }

    private static String echo(final String message)
    {
        return "{\"message\":\"" + message + "\"}";
    }

    private static String echoed(final String message)
    {
        return "{\"length\":" + message.length() + ",\"message\":\"" + message + "\"}";
    }

    private static String get(final CallFuture<String> future) throws Exception
    {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerThroughEverySubmitForm() throws Exception
    {
        assertEquals(echoed("a"), get(pool.submit(ECHO, echo("a"))));
        assertEquals(echoed("b"), get(pool.submit(ECHO, echo("b"), Duration.ofSeconds(10))));
        assertEquals(echoed("c"), get(pool.submit(ECHO, echo("c"), KEYED)));
        assertEquals(echoed("d"), get(pool.submit(ECHO, echo("d"), IDEMPOTENT)));
        assertEquals(echoed("e"), get(pool.submit(ECHO, echo("e"), CallOptions.defaults())));
        final List<CallFuture<String>> all = pool.submitAll(ECHO, List.of(echo("f"), echo("g")));
        assertEquals(List.of(echoed("f"), echoed("g")), List.of(get(all.get(0)), get(all.get(1))));
    }

    @Test
    void shouldAnswerThroughEveryTrySubmitForm() throws Exception
    {
        assertEquals(echoed("a"), get(pool.trySubmit(ECHO, echo("a")).orElseThrow()));
        assertEquals(echoed("b"), get(pool.trySubmit(ECHO, echo("b"), Duration.ofSeconds(10)).orElseThrow()));
        assertEquals(echoed("c"), get(pool.trySubmit(ECHO, echo("c"), KEYED).orElseThrow()));
        assertEquals(echoed("d"), get(pool.trySubmit(ECHO, echo("d"), IDEMPOTENT).orElseThrow()));
        assertEquals(echoed("e"), get(pool.trySubmit(ECHO, echo("e"), CallOptions.defaults()).orElseThrow()));
    }

    @Test
    void shouldAnswerThroughEveryCallForm() throws Exception
    {
        assertEquals(echoed("a"), pool.call(ECHO, echo("a")));
        assertEquals(echoed("b"), pool.call(ECHO, echo("b"), Duration.ofSeconds(10)));
        assertEquals(echoed("c"), pool.call(ECHO, echo("c"), KEYED));
        assertEquals(echoed("d"), pool.call(ECHO, echo("d"), IDEMPOTENT));
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment request = arena.allocate(BenchSmall.REQUEST_SIZE);
            request.copyFrom(MemorySegment.ofArray(BenchSmall.request("raw", 0)));
            final MemorySegment response = arena.allocate(BenchSmall.RESPONSE_SIZE);
            assertEquals(BenchSmall.RESPONSE_SIZE, pool.callRaw(1, request, response));
            assertEquals("value_for_raw", BenchSmall.value(response.toArray(JAVA_BYTE)));
        }
    }

    @Test
    void shouldAddUpItsInstances() throws Exception
    {
        assertEquals(2, pool.size());
        assertEquals(32, pool.capacity(), "two instances of 16");
        assertEquals(0, pool.pendingCount(), "nothing queued between calls");
        final long before = pool.totalMetrics().succeeded();
        final long onFirst = pool.slotMetrics(0).succeeded();
        final long onSecond = pool.slotMetrics(1).succeeded();
        pool.instance(0).call(ECHO, echo("first"));
        pool.instance(1).call(ECHO, echo("second"));
        pool.instance(1).call(ECHO, echo("second again"));
        assertEquals(onFirst + 1, pool.slotMetrics(0).succeeded());
        assertEquals(onSecond + 2, pool.slotMetrics(1).succeeded());
        assertEquals(before + 3, pool.totalMetrics().succeeded());
        assertFalse(pool.isShutdown());
        final PoolHealth health = pool.health();
        assertTrue(health.isHealthy());
        assertEquals(2, health.running());
        assertEquals(0, health.dead());
        assertEquals(List.of(SlotState.RUNNING, SlotState.RUNNING), health.slots().stream().map(SlotHealth::state).toList());
        assertEquals(16, health.slots().get(1).capacity());
    }

    @Test
    void shouldSendKeylessCallsToTheLessLoadedInstance() throws Exception
    {
        final CallFuture<String> busy = pool.instance(0).submit(SLEEP, "{\"duration_ms\":400}");
        final List<CallFuture<String>> queued = List.of(pool.instance(0).submit(ECHO, echo("q1")), pool.instance(0).submit(ECHO, echo("q2")));
        final long onSecond = pool.slotMetrics(1).succeeded();
        for (int i = 0; i < 10; i++)
        {
            assertEquals(echoed("k" + i), pool.call(ECHO, echo("k" + i)));
        }
        assertEquals(onSecond + 10, pool.slotMetrics(1).succeeded(), "every keyless call went to the idle instance");
        assertEquals("{\"slept_ms\":400}", get(busy));
        for (final CallFuture<String> future : queued)
        {
            get(future);
        }
    }

    @Test
    void shouldHandAnIdempotentCallsFailureToItsCallerAsThePluginsException() throws Exception
    {
        final PluginException e = assertThrows(PluginException.class, () -> pool.call(FAIL, "{\"message\":\"no\"}", IDEMPOTENT));
        assertEquals(7, e.errorCode());
        assertEquals("handler error: no", e.getMessage());
        assertThrows(TimeoutException.class,
            () -> pool.call(SLEEP, "{\"duration_ms\":300}", CallOptions.timeout(Duration.ofMillis(20)).withIdempotent()));
        assertEquals("{\"slept_ms\":1}", pool.call(SLEEP, "{\"duration_ms\":1}", CallOptions.noDeadline().withIdempotent()));
    }

    @Test
    void shouldRefuseCallsOnceClosedAndTerminateWithinItsTimeout() throws Exception
    {
        final PluginPool closing = PluginPool.builder(SamplePlugin::load).size(2).build();
        final CallFuture<String> running = closing.submit(SLEEP, "{\"duration_ms\":300}", KEYED);
        final Thread closer = Thread.ofPlatform().start(closing::close);
        assertTrue(Eventually.holds(closing::isShutdown), "shut down at once");
        assertFalse(closing.isTerminated(), "while a call runs");
        assertFalse(closing.awaitTermination(Duration.ofMillis(10)), "not within 10 ms");
        assertThrows(RejectedExecutionException.class, () -> closing.submit(ECHO, echo("late")));
        assertThrows(RejectedExecutionException.class, () -> closing.submit(ECHO, echo("late"), KEYED));
        assertEquals("{\"slept_ms\":300}", get(running), "the running call completes");
        assertTrue(closing.awaitTermination(Duration.ofSeconds(10)));
        assertTrue(closing.isTerminated());
        closer.join();
    }

}
