package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.MappedCopies;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pool of real sample-plugin instances: routing, isolation, supervision and shutdown. */
class PluginPoolTest
{
    private static final CallType<String, String> LOG = CallType.json("log");
    private static final CallType<String, String> ECHO = CallType.json("echo");
    private static final CallType<String, String> STATS = CallType.json("stats");
    private static final CallType<String, String> PANIC = CallType.json("panic");
    private static final CallType<String, String> SLEEP = CallType.json("sleep");

    @Test
    void shouldRunEveryKeyOnOneInstanceInSubmitOrderUnderEightProducers() throws Exception
    {
        final LoggingInstances instances = new LoggingInstances();
        try (PluginPool pool = PluginPool.builder(instances).size(4).instances(b -> b.capacity(64)).build())
        {
            final int keysPerProducer = 4;
            final int callsPerKey = 100;
            final List<Thread> producers = new ArrayList<>();
            final List<CallFuture<String>> futures = new CopyOnWriteArrayList<>();
            for (int p = 0; p < 8; p++)
            {
                final int producer = p;
                producers.add(Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        for (int seq = 0; seq < callsPerKey; seq++)
                        {
                            for (int k = 0; k < keysPerProducer; k++)
                            {
                                final String key = "key-" + producer + "-" + k;
                                futures.add(pool.submit(LOG, LoggingInstances.logRequest(key + "#" + seq), CallOptions.defaults().withKey(key)));
                            }
                        }
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            for (final Thread producer : producers)
            {
                producer.join();
            }
            for (final CallFuture<String> future : futures)
            {
                future.get(10, TimeUnit.SECONDS);
            }
            assertEquals(8 * keysPerProducer * callsPerKey, futures.size());

            final boolean[] used = new boolean[4];
            for (int p = 0; p < 8; p++)
            {
                for (int k = 0; k < keysPerProducer; k++)
                {
                    final String key = "key-" + p + "-" + k;
                    final int instance = instances.instanceThatLogged(key + "#0");
                    used[instance] = true;
                    final List<Integer> order = new ArrayList<>();
                    for (final String message : instances.logs.get(instance))
                    {
                        if (message.startsWith(key + "#"))
                        {
                            order.add(Integer.parseInt(message.substring(key.length() + 1)));
                        }
                    }
                    assertEquals(callsPerKey, order.size(), key + ": every call ran on the one instance of its key");
                    for (int seq = 0; seq < callsPerKey; seq++)
                    {
                        assertEquals(seq, order.get(seq), key + " ran in submit order");
                    }
                }
            }
            assertArrayEquals(new boolean[] {true, true, true, true}, used, "32 keys spread over all four instances");
        }
    }

    @Test
    void shouldSpreadKeylessCallsAndNeverEnterAnInstanceConcurrently() throws Exception
    {
        for (final Routing routing : Routing.values())
        {
            try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(4).routing(routing).build())
            {
                final List<Thread> producers = new ArrayList<>();
                for (int p = 0; p < 8; p++)
                {
                    producers.add(Thread.ofPlatform().start(() ->
                    {
                        try
                        {
                            for (int i = 0; i < 500; i++)
                            {
                                pool.call(ECHO, "{\"message\":\"spread\"}");
                            }
                        }
                        catch (final Exception e)
                        {
                            throw new AssertionError(e);
                        }
                    }));
                }
                for (final Thread producer : producers)
                {
                    producer.join();
                }
                long total = 0;
                for (int slot = 0; slot < 4; slot++)
                {
                    final String stats = pool.instance(slot).call(STATS, "{}");
                    final long calls = SamplePlugin.longField(stats, "calls");
                    assertTrue(calls >= 200, routing + ": slot " + slot + " served " + calls + " of 4,000 calls: " + stats);
                    assertEquals(1, SamplePlugin.longField(stats, "max_in_flight"), routing + ": never entered concurrently: " + stats);
                    assertEquals(1, SamplePlugin.longField(stats, "calling_threads"), routing + ": only its owner calls it: " + stats);
                    total += calls; // the plugin leaves the stats call itself out
                }
                assertEquals(4_000, total, "every call ran once");
                assertEquals(4_000 + 4, pool.totalMetrics().succeeded(), "the merged metrics count every call, stats included");
            }
        }
    }

    @Test
    void shouldFailQueuedCallsPromptlyRestartTheSlotAndKeepTheOthersRunning() throws Exception
    {
        final LoggingInstances instances = new LoggingInstances();
        final BlockingQueue<RestartEvent> events = new LinkedBlockingQueue<>();
        try (PluginPool pool = PluginPool.builder(instances).size(3).onRestart(events::add).build())
        {
            final CallOptions key = CallOptions.defaults().withKey("victim");
            pool.call(LOG, LoggingInstances.logRequest("where is victim"), key);
            final int slot = instances.instanceThatLogged("where is victim");
            final PluginDispatcher failing = pool.instance(slot);
            final PluginDispatcher other = pool.instance((slot + 1) % 3);

            final CallFuture<String> holding = pool.submit(SLEEP, "{\"duration_ms\":100}", key);
            final CallFuture<String> panic = pool.submit(PANIC, "{\"message\":\"mid-stream\"}", key);
            final List<CallFuture<String>> queued = new ArrayList<>();
            final List<CallFuture<String>> idempotent = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                queued.add(pool.submit(ECHO, "{\"message\":\"behind\"}", key));
                idempotent.add(pool.submit(ECHO, "{\"message\":\"again\"}", key.withIdempotent()));
            }
            final long otherCalls = 200;
            for (int i = 0; i < otherCalls; i++)
            {
                assertTrue(other.call(ECHO, "{\"message\":\"unaffected\"}").contains("unaffected"));
            }

            assertTrue(holding.get(5, TimeUnit.SECONDS).contains("slept_ms"));
            final ExecutionException panicked = assertThrows(ExecutionException.class, () -> panic.get(5, TimeUnit.SECONDS));
            assertEquals(ErrorKind.INTERNAL.code(), ((PluginException)panicked.getCause()).errorCode());
            for (final CallFuture<String> future : queued)
            {
                final ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(1, TimeUnit.SECONDS),
                    "a call queued behind the panic completes promptly");
                final PluginException failed = assertInstanceOf(PluginException.class, e.getCause());
                assertTrue(failed.getMessage().contains("FAILED after a panic") && failed.getMessage().contains("mid-stream"),
                    failed.getMessage());
            }
            for (final CallFuture<String> future : idempotent)
            {
                assertTrue(future.get(5, TimeUnit.SECONDS).contains("again"), "idempotent calls ran on the replacement");
            }

            final RestartEvent restarted = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(restarted, "the slot was restarted");
            assertEquals(slot, restarted.slot());
            assertEquals(RestartEvent.Outcome.RESTARTED, restarted.outcome());
            assertEquals(1, restarted.restarts());
            assertTrue(!restarted.downtime().isNegative() && restarted.downtime().toSeconds() < 5,
                "from the panic to the replacement: " + restarted.downtime());

            pool.call(LOG, LoggingInstances.logRequest("victim after restart"), key);
            assertEquals(instances.logs.size() - 1, instances.instanceThatLogged("victim after restart"),
                "the key's calls go to the replacement, the newest instance");
            assertNotSame(failing, pool.instance(slot));
            assertSame(other, pool.instance((slot + 1) % 3), "the other instances never stopped");
            assertTrue(failing.isTerminated() && failing.plugin().isClosed(), "the failed instance was closed");
            final SlotHealth health = pool.health().slots().get(slot);
            assertEquals(new SlotHealth(slot, SlotState.RUNNING, 1, 1, 0, 1024), health);
            assertTrue(pool.health().isHealthy());
        }
    }

    @Test
    void shouldServeFromTheReplacementSoonAfterThePanic() throws Exception
    {
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).build())
        {
            final CallOptions key = CallOptions.defaults().withKey("soon");
            pool.call(ECHO, "{\"message\":\"warm\"}", key);
            final PluginException panic = assertThrows(PluginException.class, () -> pool.call(PANIC, "{}", key));
            final long panicked = System.nanoTime();
            assertEquals(ErrorKind.INTERNAL, panic.kind());
            int failedFast = 0;
            while (true)
            {
                try
                {
                    pool.call(ECHO, "{\"message\":\"soon\"}", key);
                    break;
                }
                catch (final PluginException stillFailed)
                {
                    assertTrue(stillFailed.getMessage().contains("FAILED after a panic"), stillFailed.getMessage());
                    failedFast++;
                }
                assertTrue(System.nanoTime() - panicked < TimeUnit.SECONDS.toNanos(5), "no replacement within 5 s");
            }
            final double millis = (System.nanoTime() - panicked) / 1e6;
            // Reported, not asserted (timing belongs to measurements): the issue's target is 50 ms.
            System.out.printf("pool: the replacement served the key's first call %.2f ms after the panic was answered"
                + " (%d calls failed fast meanwhile)%n", millis, failedFast);
        }
    }

    @Test
    void shouldShedExpiredCallsAndServeTheHighLaneFirstPerInstance() throws Exception
    {
        final LoggingInstances instances = new LoggingInstances();
        try (PluginPool pool = PluginPool.builder(instances).size(2).instances(b -> b.highLane(16, 4)).build())
        {
            final CallOptions key = CallOptions.defaults().withKey("lanes");
            pool.call(LOG, LoggingInstances.logRequest("where are lanes"), key);
            final int slot = instances.instanceThatLogged("where are lanes");
            final long before = SamplePlugin.longField(pool.instance(slot).call(STATS, "{}"), "calls");

            final CallFuture<String> holding = pool.submit(SLEEP, "{\"duration_ms\":200}", key);
            final CallFuture<String> late = pool.submit(ECHO, "{\"message\":\"late\"}", key.withTimeout(Duration.ofMillis(50)));
            final List<CallFuture<String>> normal = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                normal.add(pool.submit(LOG, LoggingInstances.logRequest("lanes normal " + i), key));
            }
            final CallFuture<String> urgent = pool.submit(LOG, LoggingInstances.logRequest("lanes urgent"), key.withLane(Lane.HIGH));
            assertEquals(1, pool.pendingCount(Lane.HIGH), "per lane, over the instances, while the sleep holds its instance");
            assertEquals(5, pool.pendingCount(Lane.NORMAL), "the sleep, the late echo and three log calls");
            assertEquals(2 * 16, pool.capacity(Lane.HIGH));
            assertEquals(pool.capacity(Lane.NORMAL) + 2 * 16, pool.capacity());

            holding.get(5, TimeUnit.SECONDS);
            assertInstanceOf(DeadlineExceededException.class, assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS)).getCause());
            urgent.get(5, TimeUnit.SECONDS);
            for (final CallFuture<String> future : normal)
            {
                future.get(5, TimeUnit.SECONDS);
            }
            final List<String> order = instances.logs.get(slot).stream().filter(m -> m.startsWith("lanes ")).toList();
            assertEquals(List.of("lanes urgent", "lanes normal 0", "lanes normal 1", "lanes normal 2"), order,
                "the high lane overtook the queued normal calls of its instance");
            final long after = SamplePlugin.longField(pool.instance(slot).call(STATS, "{}"), "calls");
            // The stats call before, the sleep, three normal and one urgent log call: the late echo never arrived.
            assertEquals(before + 1 + 1 + 3 + 1, after, "the shed call never entered the plugin");
        }
    }

    @Test
    void shouldMarkASlotDeadBeyondItsBudgetAndRouteAroundIt() throws Exception
    {
        final LoggingInstances instances = new LoggingInstances();
        final BlockingQueue<RestartEvent> events = new LinkedBlockingQueue<>();
        try (PluginPool pool = PluginPool.builder(instances).size(2).onRestart(events::add)
            .restartPolicy(RestartPolicy.of(1, Duration.ofMinutes(1))).build())
        {
            final CallOptions key = CallOptions.defaults().withKey(42L);
            pool.call(LOG, LoggingInstances.logRequest("where is 42"), key);
            final int slot = instances.instanceThatLogged("where is 42");

            assertThrows(PluginException.class, () -> pool.call(PANIC, "{}", key));
            assertEquals(RestartEvent.Outcome.RESTARTED, events.poll(5, TimeUnit.SECONDS).outcome());
            assertThrows(PluginException.class, () -> pool.call(PANIC, "{}", key));
            final RestartEvent dead = events.poll(5, TimeUnit.SECONDS);
            assertEquals(RestartEvent.Outcome.DEAD, dead.outcome());
            assertEquals(slot, dead.slot());
            final PluginDispatcher last = pool.instance(slot);
            assertTrue(last.awaitTermination(Duration.ofSeconds(5)) && last.plugin().isClosed(),
                "the dead slot's last instance is closed, not left running");

            final PoolHealth health = pool.health();
            assertEquals(1, health.dead());
            assertEquals(SlotState.DEAD, health.slots().get(slot).state());
            assertTrue(!health.isHealthy());
            pool.call(LOG, LoggingInstances.logRequest("42 routed around"), key);
            // Loads 0 and 1 are slots 0 and 1; the other slot never restarted.
            assertEquals(1 - slot, instances.instanceThatLogged("42 routed around"), "the dead slot's key moved to the live slot");
            for (int i = 0; i < 50; i++)
            {
                assertTrue(pool.call(ECHO, "{\"message\":\"keyless\"}").contains("keyless"));
            }
            assertEquals(pool.instance(1 - slot).capacity(), pool.capacity(), "a dead slot has no capacity");
        }
    }

    /** Loads the sample plugin, except the loads numbered in {@code refused} (0 is the first), which fail. */
    private static PluginSource refusingLoads(final IntPredicate refused)
    {
        final AtomicInteger loads = new AtomicInteger();
        return () ->
        {
            final int load = loads.getAndIncrement();
            if (refused.test(load))
            {
                throw new PluginLoadException("load " + load + " refused by the test");
            }
            return SamplePlugin.load();
        };
    }

    /** Queues idempotent calls behind a panic on the key's instance: they need the slot's replacement. */
    private static List<CallFuture<String>> idempotentBehindAPanic(final PluginPool pool, final CallOptions key) throws Exception
    {
        pool.submit(SLEEP, "{\"duration_ms\":100}", key);
        final CallFuture<String> panic = pool.submit(PANIC, "{}", key);
        final List<CallFuture<String>> idempotent = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            idempotent.add(pool.submit(ECHO, "{\"message\":\"retried " + i + "\"}", key.withIdempotent()));
        }
        assertInstanceOf(PluginException.class, assertThrows(ExecutionException.class, () -> panic.get(5, TimeUnit.SECONDS)).getCause());
        return idempotent;
    }

    @Test
    void shouldTryAgainWhenAReplacementDoesNotStart() throws Exception
    {
        final BlockingQueue<RestartEvent> events = new LinkedBlockingQueue<>();
        // The second attempt waits 200 ms, so the idempotent calls are waiting for a replacement when it comes.
        try (PluginPool pool = PluginPool.builder(refusingLoads(load -> load == 1)).size(1).onRestart(events::add)
            .restartPolicy(RestartPolicy.of(3, Duration.ofMinutes(1)).withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))).build())
        {
            final CallOptions key = CallOptions.defaults().withKey("start-failed");
            final List<CallFuture<String>> idempotent = idempotentBehindAPanic(pool, key);

            final RestartEvent refused = events.poll(5, TimeUnit.SECONDS);
            assertEquals(RestartEvent.Outcome.START_FAILED, refused.outcome());
            assertTrue(refused.cause().contains("load 1 refused by the test"), refused.cause());
            assertEquals(SlotState.RESTARTING, pool.health().slots().get(0).state(), "still restarting after one refusal");
            assertEquals(RestartEvent.Outcome.RESTARTED, events.poll(5, TimeUnit.SECONDS).outcome());
            for (int i = 0; i < idempotent.size(); i++)
            {
                assertTrue(idempotent.get(i).get(5, TimeUnit.SECONDS).contains("retried " + i), "ran once on the replacement");
            }
            assertTrue(pool.call(ECHO, "{\"message\":\"after\"}", key).contains("after"));
            assertEquals(1, pool.health().slots().get(0).restarts());
            assertEquals(SlotState.RUNNING, pool.health().slots().get(0).state());
        }
    }

    @Test
    void shouldFailTheCallsAwaitingAReplacementWhenTheSlotDies() throws Exception
    {
        final BlockingQueue<RestartEvent> events = new LinkedBlockingQueue<>();
        try (PluginPool pool = PluginPool.builder(refusingLoads(load -> load > 0)).size(1).onRestart(events::add)
            .restartPolicy(RestartPolicy.of(2, Duration.ofMinutes(1)).withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))).build())
        {
            final CallOptions key = CallOptions.defaults().withKey("dies");
            final List<CallFuture<String>> idempotent = idempotentBehindAPanic(pool, key);

            assertEquals(RestartEvent.Outcome.START_FAILED, events.poll(5, TimeUnit.SECONDS).outcome());
            assertEquals(RestartEvent.Outcome.START_FAILED, events.poll(5, TimeUnit.SECONDS).outcome());
            assertEquals(RestartEvent.Outcome.DEAD, events.poll(5, TimeUnit.SECONDS).outcome(), "two attempts: the budget is spent");
            for (final CallFuture<String> call : idempotent)
            {
                final Throwable cause = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS)).getCause();
                assertInstanceOf(RejectedExecutionException.class, cause);
                assertTrue(cause.getMessage().contains("slot 0 of pool") && cause.getMessage().contains("is dead"), cause.getMessage());
            }
            assertEquals(SlotState.DEAD, pool.health().slots().get(0).state());
            final RejectedExecutionException refused = assertThrows(RejectedExecutionException.class,
                () -> pool.call(ECHO, "{\"message\":\"none\"}", key));
            assertTrue(refused.getMessage().contains("dead"), refused.getMessage());
        }
    }

    @Test
    void shouldCloseTheLoadedPluginWhenItsInstanceCannotBeBuilt() throws Exception
    {
        final List<NativePlugin> loaded = new CopyOnWriteArrayList<>();
        final PluginSource source = () ->
        {
            final NativePlugin plugin = SamplePlugin.load();
            loaded.add(plugin);
            return plugin;
        };
        assertThrows(IllegalArgumentException.class, () -> PluginPool.builder(source).size(1).instances(b -> b.capacity(0)).build());
        assertEquals(1, loaded.size());
        assertTrue(loaded.get(0).isClosed(), "the instance's plugin is closed, not leaked, when its builder refuses the settings");
    }

    @Test
    void shouldKeepTheOtherInstancesLogsAndBinaryCallsThroughARestart() throws Exception
    {
        final LoggingInstances instances = new LoggingInstances();
        final BlockingQueue<RestartEvent> events = new LinkedBlockingQueue<>();
        try (PluginPool pool = PluginPool.builder(instances).size(2).onRestart(events::add).build())
        {
            final PluginDispatcher survivor = pool.instance(1);
            assertThrows(PluginException.class, () -> pool.instance(0).call(PANIC, "{}"));
            assertEquals(RestartEvent.Outcome.RESTARTED, events.poll(5, TimeUnit.SECONDS).outcome());

            survivor.call(LOG, LoggingInstances.logRequest("survivor still heard"));
            assertEquals(1, instances.instanceThatLogged("survivor still heard"), "the survivor's log callback survived the restart");
            final byte[] answer = survivor.call(CallType.binary(1), BenchSmall.request("kept", 0));
            assertEquals("value_for_kept", BenchSmall.value(answer), "the survivor's binary handlers survived the restart");
            final byte[] replaced = pool.instance(0).call(CallType.binary(1), BenchSmall.request("new", 0));
            assertEquals("value_for_new", BenchSmall.value(replaced));
        }
    }

    @Tag("load")
    @Test
    void shouldMapNoMoreCopiesOverAHundredRestarts() throws Exception
    {
        final BlockingQueue<RestartEvent> events = new LinkedBlockingQueue<>();
        final RestartPolicy patient = RestartPolicy.of(1_000, Duration.ofMinutes(1)).withBackoff(Duration.ZERO, Duration.ZERO);
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).restartPolicy(patient).onRestart(events::add).build())
        {
            int afterFirst = 0;
            for (int restart = 1; restart <= 100; restart++)
            {
                final int slot = restart % 2;
                assertThrows(PluginException.class, () -> pool.instance(slot).call(PANIC, "{}"));
                final RestartEvent event = events.poll(5, TimeUnit.SECONDS);
                assertEquals(RestartEvent.Outcome.RESTARTED, event.outcome(), "restart " + restart);
                awaitTerminationOfReplaced(pool);
                if (restart == 2)
                {
                    afterFirst = MappedCopies.of(SamplePlugin.library());
                }
            }
            assertEquals(afterFirst, MappedCopies.of(SamplePlugin.library()), "copies mapped after 100 restarts");
            assertEquals(100, pool.health().slots().stream().mapToLong(SlotHealth::restarts).sum());
            assertEquals(100, pool.health().slots().stream().mapToLong(SlotHealth::failures).sum());
            assertTrue(pool.call(ECHO, "{\"message\":\"alive\"}").contains("alive"));
        }
    }

    @Test
    void shouldCompleteEveryFutureOnCloseAndShutdownNowUnderLoad() throws Exception
    {
        for (final boolean now : new boolean[] {false, true})
        {
            final PluginPool pool = PluginPool.builder(SamplePlugin::load).size(3).instances(b -> b.capacity(16)).build();
            final SubmitLoad load = new SubmitLoad(pool, 6, "sleep", "{\"duration_ms\":1}");
            load.awaitFutures(100);
            if (now)
            {
                pool.shutdownNow();
                pool.shutdownNow();
            }
            else
            {
                pool.close();
                pool.close();
            }
            load.join();
            assertTrue(pool.isTerminated());
            int succeeded = 0;
            for (final CallFuture<String> future : load.futures)
            {
                assertTrue(future.isDone(), "every future completes");
                try
                {
                    future.get();
                    succeeded++;
                }
                catch (final ExecutionException e)
                {
                    assertTrue(now, "close runs every accepted call");
                    assertInstanceOf(RejectedExecutionException.class, e.getCause());
                }
            }
            assertTrue(succeeded > 0);
            assertThrows(RejectedExecutionException.class, () -> pool.submit(ECHO, "{\"message\":\"late\"}"));
        }
    }

    @Test
    void shouldCloseFromTheRestartListenerWithoutWaitingForItself() throws Exception
    {
        final java.util.concurrent.atomic.AtomicReference<PluginPool> self = new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        final PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).onRestart(event ->
        {
            self.get().close();
            closed.countDown();
        }).build();
        self.set(pool);
        assertThrows(PluginException.class, () -> pool.instance(0).call(PANIC, "{}"));
        assertTrue(closed.await(10, TimeUnit.SECONDS), "close() returned on the supervisor thread");
        assertTrue(pool.awaitTermination(Duration.ofSeconds(10)), "every instance, the failed one too, and the supervisor ended");
        assertTrue(pool.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> pool.call(ECHO, "{\"message\":\"late\"}"));
    }

    @Test
    void shouldCloseTheInstancesStartedWhenOneDoesNotLoad()
    {
        final AtomicInteger loads = new AtomicInteger();
        final List<NativePlugin> started = new CopyOnWriteArrayList<>();
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginPool.builder(() ->
        {
            if (loads.incrementAndGet() == 3)
            {
                throw new PluginLoadException("the third instance does not load");
            }
            final NativePlugin plugin = SamplePlugin.load();
            started.add(plugin);
            return plugin;
        }).size(4).build());
        assertEquals("the third instance does not load", e.getMessage());
        assertEquals(2, started.size());
        assertTrue(started.stream().allMatch(NativePlugin::isClosed), "no instance is left running");
    }

    @Test
    void shouldTrySubmitWithoutWaitingOnAnyInstance() throws Exception
    {
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).instances(b -> b.capacity(1)).build())
        {
            final CallFuture<String> first = pool.trySubmit(SLEEP, "{\"duration_ms\":200}").orElseThrow();
            final CallFuture<String> second = pool.trySubmit(SLEEP, "{\"duration_ms\":200}").orElseThrow();
            final long start = System.nanoTime();
            assertTrue(pool.trySubmit(ECHO, "{\"message\":\"x\"}").isEmpty(), "both instances full");
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100), "trySubmit did not wait");
            first.get(5, TimeUnit.SECONDS);
            second.get(5, TimeUnit.SECONDS);
        }
    }

    /** Waits until the instances replaced so far have closed, so their copies are back in the free list. */
    private static void awaitTerminationOfReplaced(final PluginPool pool) throws InterruptedException
    {
        // The supervisor closes the failed instance right after the swap; its next task runs after that close.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.health().slots().stream().anyMatch(s -> s.state() != SlotState.RUNNING) && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        Thread.sleep(5);
    }
}
