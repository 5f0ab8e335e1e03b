package dev.ringbridge.micrometer;

import dev.ringbridge.dispatcher.CallFuture;
import dev.ringbridge.dispatcher.CallOptions;
import dev.ringbridge.dispatcher.CallType;
import dev.ringbridge.dispatcher.DeadlineExceededException;
import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.Lane;
import dev.ringbridge.dispatcher.MetricsReader;
import dev.ringbridge.dispatcher.MetricsSnapshot;
import dev.ringbridge.dispatcher.PluginDispatcher;
import dev.ringbridge.dispatcher.PluginPool;
import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binder against the real sample plugin, read through a {@link SimpleMeterRegistry} on a {@link MockClock}: the
 * test moves the clock a step ({@link #scrape()}) where a real registry's next scrape would come.
 */
@NeedsSamplePlugin
class RingbridgeMetricsTest
{
    private static final CallType<String, String> ECHO = CallType.json("echo");
    private static final CallType<String, String> FAIL = CallType.json("fail");
    private static final CallType<String, String> SLEEP = CallType.json("sleep");
    private static final CallType<String, String> STATS = CallType.json("stats");
    private static final CallType<String, String> PANIC = CallType.json("panic");
    private static final String MESSAGE = "{\"message\":\"m\"}";
    private static final String BROKEN = "{\"message\":\"x\"}";
    private static final Duration STEP = Duration.ofSeconds(10);
    private static final String NAME = "sync-demo";

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    @Test
    void shouldCountCallsByOutcomeAndFailuresByKind() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            new RingbridgeMetrics(dispatcher, NAME, STEP).bindTo(registry);
            assertEquals(0, counter("ringbridge.calls.failed", "kind", "HANDLER_ERROR"), "every kind is there before its first failure");
            assertEquals(0, counter("ringbridge.calls.failed", "kind", "HOST"));

            echo(dispatcher, 5);
            for (int i = 0; i < 2; i++)
            {
                final PluginException failed = assertThrows(PluginException.class, () -> dispatcher.call(FAIL, BROKEN));
                assertEquals(ErrorKind.HANDLER_ERROR, failed.kind());
            }
            final CallFuture<String> holding = dispatcher.submit(SLEEP, sleep(100));
            final CallFuture<String> expiring = dispatcher.submit(ECHO, MESSAGE, CallOptions.timeout(Duration.ofMillis(1)));
            final ExecutionException shed = assertThrows(ExecutionException.class, () -> expiring.get(5, TimeUnit.SECONDS));
            assertInstanceOf(DeadlineExceededException.class, shed.getCause());
            holding.get(5, TimeUnit.SECONDS);
            scrape();

            assertEquals(9, counter("ringbridge.calls.submitted"));
            assertEquals(6, counter("ringbridge.calls.succeeded"), "five echoes and the sleep");
            assertEquals(2, counter("ringbridge.calls.failed", "kind", "HANDLER_ERROR"));
            assertEquals(0, counter("ringbridge.calls.failed", "kind", "HOST"));
            assertEquals(ErrorKind.values().length + 1, registry.find("ringbridge.calls.failed").functionCounters().size());
            assertEquals(1, counter("ringbridge.calls.shed"));
            assertEquals(0, counter("ringbridge.calls.cancelled"));
            assertEquals(0, counter("ringbridge.calls.rejected"));
            assertEquals(8, timer("ringbridge.end.to.end").count(), "the shed call never entered the plugin");
            assertEquals(8, timer("ringbridge.service").count());
            assertEquals(8, timer("ringbridge.queue.wait").count());
        }
    }

    @Test
    void shouldShowPendingCallsAgainstCapacity() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(64).build())
        {
            new RingbridgeMetrics(dispatcher, NAME, STEP).bindTo(registry);
            assertEquals(dispatcher.capacity(), gauge("ringbridge.capacity"));
            assertEquals(0, gauge("ringbridge.pending"));

            final List<CallFuture<String>> queued = new ArrayList<>();
            queued.add(dispatcher.submit(SLEEP, sleep(300)));
            for (int i = 0; i < 3; i++)
            {
                queued.add(dispatcher.submit(ECHO, MESSAGE));
            }
            assertEquals(4, gauge("ringbridge.pending"), "read live, not once a step: the sleep runs, three wait");
            for (final CallFuture<String> call : queued)
            {
                call.get(5, TimeUnit.SECONDS);
            }
            assertEquals(0, gauge("ringbridge.pending"));
            assertNull(registry.find("ringbridge.pending").tag("lane", "high").gauge(), "no high lane, no gauge for it");
        }
    }

    @Test
    void shouldShowPendingCallsAndCapacityPerLane() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(64).highLane(8, 4).build())
        {
            new RingbridgeMetrics(dispatcher, NAME, STEP).bindTo(registry);
            assertEquals(64, laneGauge("ringbridge.capacity", "normal"));
            assertEquals(8, laneGauge("ringbridge.capacity", "high"));

            final CallOptions high = CallOptions.defaults().withLane(Lane.HIGH);
            final List<CallFuture<String>> queued = new ArrayList<>();
            // The sleep goes first and to the high lane, which the owner serves first: nothing else can finish before it.
            queued.add(dispatcher.submit(SLEEP, sleep(300), high));
            for (int i = 0; i < 2; i++)
            {
                queued.add(dispatcher.submit(ECHO, MESSAGE, high));
            }
            for (int i = 0; i < 3; i++)
            {
                queued.add(dispatcher.submit(ECHO, MESSAGE));
            }
            assertEquals(3, laneGauge("ringbridge.pending", "high"), "the running sleep and two echoes");
            assertEquals(3, laneGauge("ringbridge.pending", "normal"));
            assertEquals(6, dispatcher.pendingCount(), "the lanes add up");
            for (final CallFuture<String> call : queued)
            {
                call.get(5, TimeUnit.SECONDS);
            }
            assertEquals(0, laneGauge("ringbridge.pending", "normal"));
            assertEquals(0, laneGauge("ringbridge.pending", "high"));
        }
    }

    @Test
    void shouldTimeCallsAndShowPercentilesOfTheLatestInterval() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            new RingbridgeMetrics(dispatcher, NAME, STEP).bindTo(registry);
            for (int i = 0; i < 10; i++)
            {
                dispatcher.call(SLEEP, sleep(20));
            }
            scrape();

            final FunctionTimer endToEnd = timer("ringbridge.end.to.end");
            assertEquals(10, endToEnd.count());
            assertTrue(endToEnd.totalTime(TimeUnit.MILLISECONDS) >= 200, "ten calls of 20 ms: " + endToEnd.totalTime(TimeUnit.MILLISECONDS));
            assertTrue(percentile("ringbridge.end.to.end", "0.99") >= 20, "p99 of 20 ms sleeps: " + percentile("ringbridge.end.to.end", "0.99"));
            assertTrue(percentile("ringbridge.service", "0.5") >= 20);
            assertTrue(percentile("ringbridge.queue.wait", "0.5") < percentile("ringbridge.service", "0.5"), "sequential calls hardly wait");
            final double max = timeGauge("ringbridge.end.to.end.max", "phi", null).value(TimeUnit.MILLISECONDS);
            assertTrue(max >= 20 && max < 1_000, "max: " + max);

            dispatcher.call(SLEEP, sleep(120));
            assertEquals(max, timeGauge("ringbridge.end.to.end.max", "phi", null).value(TimeUnit.MILLISECONDS),
                "within one step every gauge shows the same interval");
            scrape();
            assertTrue(timeGauge("ringbridge.end.to.end.max", "phi", null).value(TimeUnit.MILLISECONDS) >= 120, "the next interval");
            assertEquals(11, timer("ringbridge.end.to.end").count());
            scrape();
            assertTrue(Double.isNaN(percentile("ringbridge.end.to.end", "0.99")), "an interval without calls has no percentile");
            assertEquals(11, timer("ringbridge.end.to.end").count(), "the timer is cumulative");
        }
    }

    @Test
    void shouldRegisterPerTypeMetersForTypesThatAppearAfterBinding() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            dispatcher.call(ECHO, MESSAGE);
            new RingbridgeMetrics(dispatcher, NAME, STEP).bindTo(registry);
            assertEquals(1, typeCounter("ringbridge.type.calls", "echo"), "a type seen before binding is there at once");
            assertNull(registry.find("ringbridge.type.calls").tag("type", "fail").functionCounter());

            echo(dispatcher, 2);
            assertThrows(PluginException.class, () -> dispatcher.call(FAIL, BROKEN));
            dispatcher.call(SLEEP, sleep(50));
            scrape();
            counter("ringbridge.calls.submitted"); // the scrape's read that sees the new types
            assertEquals(3, typeCounter("ringbridge.type.calls", "echo"));
            assertEquals(0, typeCounter("ringbridge.type.failed", "echo"));
            assertEquals(1, typeCounter("ringbridge.type.calls", "fail"));
            assertEquals(1, typeCounter("ringbridge.type.failed", "fail"));
            final FunctionTimer sleeps = registry.find("ringbridge.type.end.to.end").tag("type", "sleep").functionTimer();
            assertNotNull(sleeps, "a type first served after binding");
            assertEquals(1, sleeps.count());
            final TimeGauge sleepP99 = registry.find("ringbridge.type.end.to.end.percentile").tags("type", "sleep", "phi", "0.99").timeGauge();
            assertNotNull(sleepP99);
            assertTrue(sleepP99.value(TimeUnit.MILLISECONDS) >= 50, "p99 of the sleep type: " + sleepP99.value(TimeUnit.MILLISECONDS));
            final TimeGauge echoP99 = registry.find("ringbridge.type.end.to.end.percentile").tags("type", "echo", "phi", "0.99").timeGauge();
            assertTrue(echoP99.value(TimeUnit.MILLISECONDS) < 50, "each type its own histogram");
        }
    }

    @Test
    void shouldTagTypesBeyondTheDispatchersLimitAsOther() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).typeLimit(1).build())
        {
            new RingbridgeMetrics(dispatcher, NAME, STEP).bindTo(registry);
            echo(dispatcher, 2);
            dispatcher.call(STATS, "{}");
            dispatcher.call(SLEEP, sleep(0));
            scrape();
            counter("ringbridge.calls.submitted");
            assertEquals(2, registry.find("ringbridge.type.calls").functionCounters().size(), "echo and (other), nothing more");
            assertEquals(2, typeCounter("ringbridge.type.calls", "(other)"));
        }
    }

    @Test
    void shouldBindAPoolWithItsRestarts() throws Exception
    {
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).build())
        {
            new RingbridgeMetrics(pool, "pool", STEP).bindTo(registry);
            echo(pool, 20);
            final CallOptions key = CallOptions.defaults().withKey("panics");
            final PluginException panic = assertThrows(PluginException.class, () -> pool.call(PANIC, "{}", key));
            assertEquals(ErrorKind.INTERNAL, panic.kind());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (restarts() < 1)
            {
                assertTrue(System.nanoTime() < deadline, "no restart counted within 5 s");
                Thread.sleep(10);
            }
            scrape();

            assertEquals(1, restarts(), "one slot's instance replaced");
            assertEquals(1, registry.find("ringbridge.pool.panics").functionCounters().stream().mapToDouble(FunctionCounter::count).sum());
            assertEquals(2, registry.find("ringbridge.pool.restarts").functionCounters().size(), "one counter per slot");
            assertEquals(2, registry.get("ringbridge.pool.running").tag("dispatcher", "pool").gauge().value());
            assertEquals(pool.capacity(), registry.get("ringbridge.capacity").tag("dispatcher", "pool").gauge().value());
            assertEquals(21, registry.get("ringbridge.calls.submitted").tag("dispatcher", "pool").functionCounter().count());
            assertEquals(20, registry.get("ringbridge.calls.succeeded").tag("dispatcher", "pool").functionCounter().count());
            assertEquals(1, registry.get("ringbridge.calls.failed").tags("dispatcher", "pool", "kind", "INTERNAL").functionCounter().count());
            assertEquals(20, registry.get("ringbridge.type.calls").tags("dispatcher", "pool", "type", "echo").functionCounter().count());
            assertEquals(21, registry.get("ringbridge.end.to.end").tag("dispatcher", "pool").functionTimer().count(),
                "calls of the replaced instance included");
        }
    }

    @Test
    void shouldLeaveAnotherReadersIntervalsWhole() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final MetricsReader other = dispatcher.newMetricsReader();
            final Readings readings = new Readings(dispatcher, STEP, clock);
            new RingbridgeMetrics(dispatcher, NAME, STEP).bindTo(registry);

            echo(dispatcher, 10);
            scrape();
            assertTrue(percentile("ringbridge.end.to.end", "0.5") > 0, "the binding read its interval");
            clock.add(STEP);
            assertEquals(10, readings.interval().endToEnd().getTotalCount(), "a second binding sees the same calls");
            echo(dispatcher, 5);
            scrape();
            assertTrue(percentile("ringbridge.end.to.end", "0.5") > 0);

            final MetricsSnapshot seen = other.next();
            assertEquals(15, seen.endToEnd().getTotalCount(), "the bindings' reads took nothing from this reader");
            assertEquals(15, seen.succeeded());
            clock.add(STEP);
            assertEquals(5, readings.interval().endToEnd().getTotalCount());
        }
    }

    @Test
    void shouldRefuseABadStepOrName() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            assertThrows(IllegalArgumentException.class, () -> new RingbridgeMetrics(dispatcher, NAME, Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> new RingbridgeMetrics(dispatcher, " "));
            assertThrows(NullPointerException.class, () -> new RingbridgeMetrics(null, NAME));
        }
    }

    /** Moves the registry's clock one step on: the next read is a new scrape. */
    private void scrape()
    {
        clock.add(STEP);
    }

    private double counter(final String name)
    {
        return registry.get(name).tag("dispatcher", NAME).functionCounter().count();
    }

    private double counter(final String name, final String tag, final String value)
    {
        return registry.get(name).tags("dispatcher", NAME, tag, value).functionCounter().count();
    }

    private double typeCounter(final String name, final String type)
    {
        return counter(name, "type", type);
    }

    private double gauge(final String name)
    {
        return registry.get(name).tag("dispatcher", NAME).gauge().value();
    }

    private double laneGauge(final String name, final String lane)
    {
        return registry.get(name).tag("dispatcher", NAME).tag("lane", lane).gauge().value();
    }

    private FunctionTimer timer(final String name)
    {
        return registry.get(name).tag("dispatcher", NAME).functionTimer();
    }

    private TimeGauge timeGauge(final String name, final String tag, final String value)
    {
        return value == null
            ? registry.get(name).tag("dispatcher", NAME).timeGauge()
            : registry.get(name).tags("dispatcher", NAME, tag, value).timeGauge();
    }

    /** A percentile gauge's value in milliseconds. */
    private double percentile(final String latency, final String phi)
    {
        return timeGauge(latency + ".percentile", "phi", phi).value(TimeUnit.MILLISECONDS);
    }

    private double restarts()
    {
        return registry.find("ringbridge.pool.restarts").tag("dispatcher", "pool").functionCounters().stream()
            .mapToDouble(FunctionCounter::count).sum();
    }

    private static void echo(final Dispatcher dispatcher, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            dispatcher.call(ECHO, MESSAGE);
        }
    }

    private static String sleep(final int millis)
    {
        return "{\"duration_ms\":" + millis + "}";
    }
}
