package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShutdownTest
{
    @Test
    void shouldRunEveryAcceptedCallOnClose() throws Exception
    {
        final NativePlugin plugin = SamplePlugin.load();
        final PluginDispatcher dispatcher = PluginDispatcher.builder(plugin).capacity(100).build();
        final SubmitLoad load = new SubmitLoad(dispatcher, 4, "echo", "{\"message\":\"load\"}");
        load.awaitFutures(2_000);
        dispatcher.close();
        load.join();

        assertTrue(dispatcher.isTerminated());
        assertTrue(plugin.isClosed());
        for (final CallFuture<String> future : load.futures)
        {
            assertTrue(future.isDone(), "every future completes");
            assertTrue(future.get().contains("load"), "close runs every accepted call");
        }
        assertEquals(load.futures.size(), dispatcher.metrics().total().succeeded());
    }

    @Test
    void shouldFailNotStartedCallsOnShutdownNow() throws Exception
    {
        final PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(50).build();
        final SubmitLoad load = new SubmitLoad(dispatcher, 4, "sleep", "{\"duration_ms\":2}");
        load.awaitFutures(60);
        final long start = System.nanoTime();
        dispatcher.shutdownNow();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "shutdownNow does not run 50 queued sleeps");
        load.join();

        int succeeded = 0;
        int rejected = 0;
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
                assertInstanceOf(RejectedExecutionException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("before this call started"), e.getCause().getMessage());
                rejected++;
            }
        }
        assertEquals(load.futures.size(), succeeded + rejected);
        assertTrue(rejected > 0, "calls still queued are failed, not run");
    }

    @Test
    void shouldBeIdempotentAndCallableFromACallback() throws Exception
    {
        final PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(8).build();
        final CountDownLatch closedInside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        OwnerCallbacks.runOnOwner(dispatcher, () ->
        {
            try
            {
                release.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            dispatcher.close(); // on the owner thread: must not wait for itself
            dispatcher.shutdownNow();
            closedInside.countDown();
        });
        final CallFuture<String> queuedBehind = dispatcher.submit(CallType.json("sleep"), "{\"duration_ms\":1}");
        release.countDown();
        assertTrue(closedInside.await(5, TimeUnit.SECONDS), "close from a callback returns at once");
        dispatcher.close();
        dispatcher.close();
        dispatcher.shutdownNow();
        assertTrue(dispatcher.awaitTermination(java.time.Duration.ofSeconds(5)));
        assertTrue(queuedBehind.isDone());
        assertThrows(RejectedExecutionException.class, () -> dispatcher.submit(CallType.json("echo"), "{\"message\":\"x\"}"));
        assertThrows(RejectedExecutionException.class, () -> dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"x\"}"));
    }

    @Test
    void shouldStopFromTheOwnerThreadWhenTheRingIsFull() throws Exception
    {
        final PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(3).build();
        final List<CallFuture<String>> queued = new CopyOnWriteArrayList<>();
        final CountDownLatch closedInside = new CountDownLatch(1);
        OwnerCallbacks.runOnOwner(dispatcher, () ->
        {
            CallFuture<String> future;
            while ((future = dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"queued\"}").orElse(null)) != null)
            {
                queued.add(future);
            }
            // No room for STOP now, and the owner cannot wait for room: STOP goes in once a call frees a slot.
            dispatcher.close();
            closedInside.countDown();
        });
        assertTrue(closedInside.await(5, TimeUnit.SECONDS));
        assertTrue(dispatcher.awaitTermination(java.time.Duration.ofSeconds(5)), "the owed STOP was published");
        assertFalse(queued.isEmpty());
        for (final CallFuture<String> future : queued)
        {
            assertTrue(future.get(5, TimeUnit.SECONDS).contains("queued"), "every call accepted before close ran");
        }
    }

    @Test
    void shouldCompleteEveryFutureWhenSubmitsRaceClose() throws Exception
    {
        for (int round = 0; round < 30; round++)
        {
            final PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(4).build();
            final SubmitLoad load = new SubmitLoad(dispatcher, 3, "echo", "{\"message\":\"race\"}");
            load.awaitFutures(round % 5);
            dispatcher.close();
            load.join();
            for (final CallFuture<String> future : load.futures)
            {
                assertTrue(future.get(5, TimeUnit.SECONDS).contains("race"), "a future handed out is a call that ran");
            }
            assertEquals(load.futures.size(), dispatcher.metrics().total().succeeded(), "round " + round);
        }
    }

    @Test
    void shouldNotCloseAPluginItDoesNotOwn() throws Exception
    {
        try (NativePlugin plugin = SamplePlugin.load())
        {
            try (PluginDispatcher dispatcher = PluginDispatcher.builder(plugin).closePlugin(false).build())
            {
                dispatcher.call(CallType.json("echo"), "{\"message\":\"x\"}");
            }
            assertFalse(plugin.isClosed());
            assertTrue(plugin.call("echo", "{\"message\":\"still open\"}").contains("still open"));
        }
    }
}
