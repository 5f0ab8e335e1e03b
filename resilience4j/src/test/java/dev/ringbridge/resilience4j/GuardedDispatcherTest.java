package dev.ringbridge.resilience4j;

import dev.ringbridge.dispatcher.CallFuture;
import dev.ringbridge.dispatcher.CallOptions;
import dev.ringbridge.dispatcher.CallType;
import dev.ringbridge.dispatcher.PluginDispatcher;
import dev.ringbridge.dispatcher.PluginPool;
import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The breaker against the real plugin's {@code fail}, {@code panic} and {@code sleep} handlers. */
@NeedsSamplePlugin
class GuardedDispatcherTest
{
    private static final CallType<String, String> ECHO = CallType.json("echo");
    private static final CallType<String, String> FAIL = CallType.json("fail");
    private static final CallType<String, String> SLEEP = CallType.json("sleep");
    private static final String HELLO = "{\"message\":\"hello\"}";
    private static final String BROKEN = "{\"message\":\"broken\"}";
    private static final CallOptions NONE = CallOptions.defaults();
    private static final Duration OPEN_FOR = Duration.ofMillis(200);

    private PluginDispatcher dispatcher;

    @BeforeEach
    void start() throws Exception
    {
        dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build();
    }

    @AfterEach
    void stop()
    {
        dispatcher.close();
    }

    /** Four calls decide; half failing or slow opens; open for 200 ms; two probes. */
    private GuardedDispatcher guarded(final Duration slowCallTime, final int minimumCalls)
    {
        final CircuitBreakerConfig config = PluginBreakers.config(PluginBreakers.PLUGIN_FAULTS, slowCallTime)
            .slidingWindowSize(4)
            .minimumNumberOfCalls(minimumCalls)
            .waitDurationInOpenState(OPEN_FOR)
            .permittedNumberOfCallsInHalfOpenState(2)
            .build();
        return GuardedDispatcher.of(dispatcher, CircuitBreaker.of("sync-demo", config));
    }

    private long pluginCalls() throws Exception
    {
        return SamplePlugin.longField(dispatcher.call(CallType.json("stats"), "{}"), "calls");
    }

    @Test
    void shouldOpenOnPluginFailuresAndRejectBeforeTheRing() throws Exception
    {
        final GuardedDispatcher guarded = guarded(Duration.ofSeconds(10), 4);
        for (int i = 0; i < 4; i++)
        {
            final PluginException failed = assertThrows(PluginException.class, () -> guarded.call(FAIL, BROKEN, NONE));
            assertEquals(ErrorKind.HANDLER_ERROR, failed.kind());
        }
        assertEquals(CircuitBreaker.State.OPEN, guarded.breaker().getState());

        final long submitted = dispatcher.metrics().submittedCount();
        assertThrows(CallNotPermittedException.class, () -> guarded.call(ECHO, HELLO, NONE));
        assertThrows(CallNotPermittedException.class, () -> guarded.submit(ECHO, HELLO, NONE));
        assertEquals(submitted, dispatcher.metrics().submittedCount(), "refused before the ring");
        assertEquals(4, pluginCalls(), "the refused calls never reached the plugin");
    }

    @Test
    void shouldOpenThroughFuturesToo() throws Exception
    {
        final GuardedDispatcher guarded = guarded(Duration.ofSeconds(10), 4);
        final List<CallFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            futures.add(guarded.submit(FAIL, BROKEN, NONE));
        }
        for (final CallFuture<String> future : futures)
        {
            assertInstanceOf(PluginException.class, assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS)).getCause());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (guarded.breaker().getState() != CircuitBreaker.State.OPEN && System.nanoTime() < deadline)
        {
            // The outcome is recorded by a dependent stage, just after the future completes.
            Thread.sleep(1);
        }
        assertEquals(CircuitBreaker.State.OPEN, guarded.breaker().getState());
        assertThrows(CallNotPermittedException.class, () -> guarded.submit(ECHO, HELLO, NONE));
    }

    @Test
    void shouldCloseAfterHalfOpenProbesPass() throws Exception
    {
        final GuardedDispatcher guarded = guarded(Duration.ofSeconds(10), 4);
        for (int i = 0; i < 4; i++)
        {
            assertThrows(PluginException.class, () -> guarded.call(FAIL, BROKEN, NONE));
        }
        assertThrows(CallNotPermittedException.class, () -> guarded.call(ECHO, HELLO, NONE));
        Thread.sleep(OPEN_FOR.toMillis() + 100);

        assertTrue(guarded.call(ECHO, HELLO, NONE).contains("hello"), "a half-open probe passes");
        assertEquals(CircuitBreaker.State.HALF_OPEN, guarded.breaker().getState());
        assertTrue(guarded.call(ECHO, HELLO, NONE).contains("hello"));
        assertEquals(CircuitBreaker.State.CLOSED, guarded.breaker().getState(), "two good probes close it");
        assertTrue(guarded.call(ECHO, HELLO, NONE).contains("hello"));
    }

    @Test
    void shouldGuardAPoolAndCountAPanicAsOneFailureSinceThePoolReplacesTheInstance() throws Exception
    {
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).build())
        {
            final CircuitBreakerConfig config = PluginBreakers.config(PluginBreakers.PLUGIN_FAULTS, Duration.ofSeconds(10))
                .slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(OPEN_FOR).build();
            final GuardedDispatcher guarded = GuardedDispatcher.of(pool, CircuitBreaker.of("pool", config));
            assertThrows(PluginException.class, () -> guarded.call(CallType.json("panic"), "{}", NONE));
            assertEquals(CircuitBreaker.State.CLOSED, guarded.breaker().getState(), "a pool's panic is one failure, not an open breaker");
            for (int i = 0; i < 3; i++)
            {
                assertThrows(PluginException.class, () -> guarded.call(FAIL, BROKEN, NONE));
            }
            assertEquals(CircuitBreaker.State.OPEN, guarded.breaker().getState(), "four failures of four calls open it");
            final long submitted = pool.totalMetrics().submitted();
            assertThrows(CallNotPermittedException.class, () -> guarded.call(ECHO, HELLO, NONE));
            assertEquals(submitted, pool.totalMetrics().submitted(), "refused before any instance's ring");
        }
    }

    @Test
    void shouldOpenAtOnceWhenAPanicLeftThePluginFailed() throws Exception
    {
        final GuardedDispatcher guarded = guarded(Duration.ofSeconds(10), 100);
        assertTrue(guarded.call(ECHO, HELLO, NONE).contains("hello"));
        final PluginException panicked = assertThrows(PluginException.class,
            () -> guarded.call(CallType.json("panic"), "{\"message\":\"boom\"}", NONE));
        assertEquals(ErrorKind.INTERNAL, panicked.kind());
        assertEquals(CircuitBreaker.State.OPEN, guarded.breaker().getState(), "one failure opens it: the plugin is FAILED");
        final long submitted = dispatcher.metrics().submittedCount();
        assertThrows(CallNotPermittedException.class, () -> guarded.call(ECHO, HELLO, NONE));
        assertEquals(submitted, dispatcher.metrics().submittedCount());

        Thread.sleep(OPEN_FOR.toMillis() + 100);
        final PluginException probe = assertThrows(PluginException.class, () -> guarded.call(ECHO, HELLO, NONE));
        assertEquals(ErrorKind.INVALID_STATE, probe.kind());
        assertEquals(CircuitBreaker.State.OPEN, guarded.breaker().getState(), "a failed probe opens it again");
    }

    @Test
    void shouldOpenOnSlowCalls() throws Exception
    {
        final GuardedDispatcher guarded = guarded(Duration.ofMillis(40), 2);
        for (int i = 0; i < 2; i++)
        {
            assertTrue(guarded.call(SLEEP, "{\"duration_ms\":80}", NONE).contains("80"));
        }
        assertEquals(CircuitBreaker.State.OPEN, guarded.breaker().getState(), "every call was slow");
        assertThrows(CallNotPermittedException.class, () -> guarded.call(ECHO, HELLO, NONE));
    }

    @Test
    void shouldIgnoreCallsShedAtTheirDeadline() throws Exception
    {
        final GuardedDispatcher guarded = guarded(Duration.ofSeconds(10), 2);
        final CallFuture<String> sleep = dispatcher.submit(SLEEP, "{\"duration_ms\":200}");
        final CallOptions quick = CallOptions.timeout(Duration.ofMillis(20));
        final List<CallFuture<String>> shed = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            shed.add(guarded.submit(ECHO, HELLO, quick));
        }
        sleep.get(5, TimeUnit.SECONDS);
        for (final CallFuture<String> future : shed)
        {
            assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        }
        assertEquals(4, dispatcher.metrics().shedCount());
        assertEquals(CircuitBreaker.State.CLOSED, guarded.breaker().getState(), "overload is not a plugin fault");
        assertEquals(0, guarded.breaker().getMetrics().getNumberOfFailedCalls());
    }
}
