package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pool of real sample-plugin instances at its edges: while a slot is being replaced, when it adds up its instances'
 * queues, and at shutdown (from outside, from an owner thread, and with calls still awaiting a replacement).
 */
class PluginPoolEdgesTest
{
    private static final CallType<String, String> ECHO = CallType.json("echo");
    private static final CallType<String, String> SLEEP = CallType.json("sleep");
    private static final CallType<String, String> PANIC = CallType.json("panic");

    private static String echo(final String message)
    {
        return "{\"message\":\"" + message + "\"}";
    }

    private static String echoed(final String message)
    {
        return "{\"length\":" + message.length() + ",\"message\":\"" + message + "\"}";
    }

    /**
     * Loads the pool's first {@code size} instances at once and every replacement only when let: a slot that failed
     * stays {@link SlotState#RESTARTING} until then. An interruptible hold ends with the pool's shutdown (the
     * replacement then does not load); an uninterruptible one keeps the supervisor busy until let.
     */
    private static final class HeldReplacements implements PluginSource
    {
        private final int size;
        private final boolean interruptible;
        private final AtomicInteger loads = new AtomicInteger();
        private final CountDownLatch let = new CountDownLatch(1);
        private final List<NativePlugin> loaded = new CopyOnWriteArrayList<>();

        HeldReplacements(final int size, final boolean interruptible)
        {
            this.size = size;
            this.interruptible = interruptible;
        }

        @Override
        public NativePlugin load() throws PluginLoadException
        {
            if (loads.incrementAndGet() > size)
            {
                hold();
            }
            final NativePlugin plugin = SamplePlugin.load();
            loaded.add(plugin);
            return plugin;
        }

        /** Until let; an interrupt ends an interruptible hold with a refusal, and is kept for later either way. */
        private void hold() throws PluginLoadException
        {
            boolean interrupted = false;
            try
            {
                while (true)
                {
                    try
                    {
                        let.await();
                        return;
                    }
                    catch (final InterruptedException e)
                    {
                        interrupted = true;
                        if (interruptible)
                        {
                            throw new PluginLoadException("the replacement was held until the pool shut down");
                        }
                    }
                }
            }
            finally
            {
                if (interrupted)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Panics slot 0's instance and waits until the pool is replacing it. */
    private static void failSlotZero(final PluginPool pool) throws InterruptedException
    {
        assertThrows(PluginException.class, () -> pool.instance(0).call(PANIC, "{}"));
        assertTrue(Eventually.holds(() -> pool.health().slots().get(0).state() == SlotState.RESTARTING),
            "slot 0 never went to RESTARTING: " + pool.health());
    }

    /** The live thread of that name, waiting up to 5 s for it to start. */
    private static Thread threadNamed(final String name) throws InterruptedException
    {
        final Thread[] found = new Thread[1];
        assertTrue(Eventually.holds(() ->
        {
            found[0] = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
            return found[0] != null;
        }), "no thread named " + name);
        return found[0];
    }

    /** A key the pool of two sends to slot 0. */
    private static CallOptions keyOfSlotZero()
    {
        for (long key = 0; ; key++)
        {
            final CallOptions options = CallOptions.timeout(Duration.ofSeconds(10)).withKey(key);
            if (Long.remainderUnsigned(options.keyHash(), 2) == 0)
            {
                return options;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Routing.class)
    void shouldSendCallsWithoutAKeyToTheRunningInstanceWhileTheOtherIsReplaced(final Routing routing) throws Exception
    {
        final HeldReplacements source = new HeldReplacements(2, true);
        try (PluginPool pool = PluginPool.builder(source).size(2).routing(routing).build())
        {
            failSlotZero(pool);
            final long onRunning = pool.slotMetrics(1).succeeded();
            for (int i = 0; i < 20; i++)
            {
                assertEquals(echoed("k" + i), pool.call(ECHO, echo("k" + i)), "call " + i + " met the failed instance");
                assertEquals(echoed("s" + i), pool.submit(ECHO, echo("s" + i)).get(5, TimeUnit.SECONDS));
            }
            assertEquals(onRunning + 40, pool.slotMetrics(1).succeeded(), "every call went to the running instance");
            source.let.countDown();
        }
    }

    /**
     * A call without a key tries every running instance before it gives up; a keyed call tries its own instance only
     * (it never moves). Round-robin sends every other call to the full instance first.
     */
    @Test
    void shouldTrySubmitOnAnotherInstanceWhenTheRoutedOneIsFullButNeverMoveAKey() throws Exception
    {
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).routing(Routing.ROUND_ROBIN)
            .instances(b -> b.capacity(1)).build())
        {
            final CallFuture<String> holding = pool.instance(0).submit(SLEEP, "{\"duration_ms\":600}");
            for (int i = 0; i < 6; i++)
            {
                final CallFuture<String> plain = pool.trySubmit(ECHO, echo("p" + i)).orElseThrow(() -> new AssertionError("no room found"));
                assertEquals(echoed("p" + i), plain.get(5, TimeUnit.SECONDS));
                final CallFuture<String> timed = pool.trySubmit(ECHO, echo("t" + i), CallOptions.timeout(Duration.ofSeconds(5)))
                    .orElseThrow(() -> new AssertionError("no room found with options"));
                assertEquals(echoed("t" + i), timed.get(5, TimeUnit.SECONDS));
            }
            assertTrue(pool.trySubmit(ECHO, echo("keyed"), keyOfSlotZero()).isEmpty(), "the key's instance is full");
            assertFalse(holding.isDone(), "the full instance was full throughout");
            holding.get(5, TimeUnit.SECONDS);
        }
    }

    /** An idempotent call that found no room before its deadline gets its future, failed with the deadline. */
    @Test
    void shouldFailAnIdempotentCallWhoseDeadlinePassedWhileWaitingForRoom() throws Exception
    {
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(1).instances(b -> b.capacity(1)).build())
        {
            final CallFuture<String> holding = pool.submit(SLEEP, "{\"duration_ms\":300}");
            final CallFuture<String> late = pool.submit(ECHO, echo("late"), CallOptions.timeout(Duration.ofMillis(50)).withIdempotent());
            final ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
            assertInstanceOf(DeadlineExceededException.class, e.getCause());
            holding.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldAddUpThePendingCallsOfEveryInstance() throws Exception
    {
        try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).instances(b -> b.capacity(8)).build())
        {
            final List<CallFuture<String>> calls = List.of(
                pool.instance(0).submit(SLEEP, "{\"duration_ms\":300}"),
                pool.instance(0).submit(ECHO, echo("a")),
                pool.instance(0).submit(ECHO, echo("b")),
                pool.instance(1).submit(SLEEP, "{\"duration_ms\":300}"),
                pool.instance(1).submit(ECHO, echo("c")));
            assertEquals(5, pool.pendingCount(), "three on the first instance, two on the second");
            assertEquals(5, pool.pendingCount(Lane.NORMAL));
            for (final CallFuture<String> call : calls)
            {
                call.get(5, TimeUnit.SECONDS);
            }
            assertEquals(0, pool.pendingCount());
        }
    }

    @Test
    void shouldRefuseCallsWithAndWithoutAKeyOnceClosedNamingThePool() throws Exception
    {
        final PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).name("edges").build();
        pool.close();
        for (final CallOptions options : List.of(CallOptions.defaults(), CallOptions.defaults().withKey("k")))
        {
            final RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> pool.submit(ECHO, echo("late"), options), options.toString());
            assertEquals("plugin pool edges is shut down", e.getMessage());
        }
    }

    @Test
    void shouldAwaitTerminationWhileTheLastCallStillRuns() throws Exception
    {
        final PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).build();
        final CallFuture<String> running = pool.submit(SLEEP, "{\"duration_ms\":300}");
        final Thread closer = Thread.ofPlatform().start(pool::close);
        assertFalse(running.isDone());
        assertTrue(pool.awaitTermination(Duration.ofSeconds(10)), "terminated within 10 s");
        assertTrue(running.isDone(), "the running call ended before the pool terminated");
        assertTrue(pool.isTerminated());
        closer.join();
    }

    @Test
    void shouldNotTerminateWhileTheSupervisorStillLoadsAReplacement() throws Exception
    {
        final HeldReplacements source = new HeldReplacements(2, false);
        final PluginPool pool = PluginPool.builder(source).size(2).name("held").build();
        failSlotZero(pool);
        assertTrue(threadNamed("ringbridge-held-supervisor").isDaemon(), "the supervisor thread never keeps the JVM alive");
        final Thread closer = Thread.ofPlatform().daemon().start(pool::close);
        assertTrue(Eventually.holds(pool::isShutdown), "never shut down");
        assertFalse(pool.awaitTermination(Duration.ofMillis(100)), "the supervisor is still loading slot 0's replacement");
        assertFalse(pool.isTerminated());
        assertTrue(closer.isAlive(), "close() waits for the supervisor");
        source.let.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(closer.isAlive(), "close() returned once the supervisor ended");
        assertTrue(pool.awaitTermination(Duration.ofSeconds(10)));
        assertTrue(pool.isTerminated());
        assertEquals(3, source.loaded.size(), "two instances and the replacement loaded after the shutdown");
        assertTrue(source.loaded.stream().allMatch(NativePlugin::isClosed), "the late replacement was closed, not swapped in");
    }

    /** The dependent runs on an owner thread: close() there must not wait for the very thread it runs on. */
    @Test
    void shouldCloseFromACallbackOnAnOwnerThread() throws Exception
    {
        final PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2).build();
        final CompletableFuture<String> closedOn = new CompletableFuture<>();
        // Queued behind a sleep, so the callback is attached before the call completes and runs on the owner.
        pool.instance(0).submit(SLEEP, "{\"duration_ms\":100}");
        pool.instance(0).submit(ECHO, echo("last")).thenRun(() ->
        {
            pool.close();
            closedOn.complete(Thread.currentThread().getName());
        });
        assertTrue(closedOn.get(10, TimeUnit.SECONDS).startsWith("ringbridge-"), "closed on an owner thread");
        assertTrue(pool.awaitTermination(Duration.ofSeconds(10)), "every instance ended after the callback returned");
    }

    /**
     * The panicking call's callback runs on the failed instance's owner thread, and closes the pool there once the
     * replacement is in. The supervisor is then closing that very instance, waiting for its owner thread: a close that
     * waited for the supervisor from there would wait for itself.
     */
    @Test
    void shouldCloseFromTheFailedInstancesCallbackWhileTheSupervisorClosesIt() throws Exception
    {
        final CountDownLatch replaced = new CountDownLatch(1);
        final PluginPool pool = PluginPool.builder(SamplePlugin::load).size(2)
            .onRestart(event -> replaced.countDown()).build();
        final CompletableFuture<String> closedOn = new CompletableFuture<>();
        pool.instance(0).submit(SLEEP, "{\"duration_ms\":100}");
        pool.instance(0).submit(PANIC, "{}").whenComplete((result, failure) ->
        {
            try
            {
                assertTrue(replaced.await(10, TimeUnit.SECONDS), "no replacement");
                pool.close();
                closedOn.complete(Thread.currentThread().getName());
            }
            catch (final Throwable e)
            {
                closedOn.completeExceptionally(e);
            }
        });
        assertEquals("ringbridge-pool-0", closedOn.get(15, TimeUnit.SECONDS), "closed on the failed instance's owner thread");
        assertTrue(pool.awaitTermination(Duration.ofSeconds(10)));
    }

    /**
     * An idempotent call sent to a slot being replaced waits for the replacement; a shutdown before the replacement
     * fails it, as a submitted future and as a blocking call, with the refusal itself (not wrapped).
     */
    @Test
    void shouldFailIdempotentCallsAwaitingAReplacementAtShutdown() throws Exception
    {
        final HeldReplacements source = new HeldReplacements(2, true);
        final PluginPool pool = PluginPool.builder(source).size(2).build();
        failSlotZero(pool);
        final CallOptions slotZero = keyOfSlotZero().withIdempotent();
        final CallFuture<String> submitted = pool.submit(ECHO, echo("waits"), slotZero);
        final CallFuture<String> tried = pool.trySubmit(ECHO, echo("tries"), slotZero).orElseThrow();
        final CompletableFuture<Throwable> blockingThrew = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() ->
        {
            try
            {
                blockingThrew.completeExceptionally(new AssertionError("answered: " + pool.call(ECHO, echo("blocks"), slotZero)));
            }
            catch (final Throwable e)
            {
                blockingThrew.complete(e);
            }
        });
        assertThrows(TimeoutException.class, () -> submitted.get(200, TimeUnit.MILLISECONDS), "waits for the replacement");
        assertFalse(blockingThrew.isDone(), "blocks until the replacement");

        pool.shutdownNow();
        final ExecutionException failed = assertThrows(ExecutionException.class, () -> submitted.get(5, TimeUnit.SECONDS));
        final RejectedExecutionException refused = assertInstanceOf(RejectedExecutionException.class, failed.getCause());
        assertTrue(refused.getMessage().contains("shut down before slot 0 was replaced"), refused.getMessage());
        assertInstanceOf(RejectedExecutionException.class,
            assertThrows(ExecutionException.class, () -> tried.get(5, TimeUnit.SECONDS)).getCause(), "tried, then waited as well");
        assertInstanceOf(RejectedExecutionException.class, blockingThrew.get(5, TimeUnit.SECONDS),
            "the blocking call throws the refusal itself");
        assertTrue(pool.awaitTermination(Duration.ofSeconds(10)));
    }
}
