package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A high lane beside the normal one, drained by the same owner thread, against the real plugin. */
@NeedsSamplePlugin
class LaneTest
{
    private static final CallType<String, String> SLEEP = CallType.json("sleep");
    private static final CallType<String, String> ECHO = CallType.json("echo");
    private static final CallOptions HIGH = CallOptions.defaults().withLane(Lane.HIGH);
    private static final CallOptions NORMAL = CallOptions.defaults();

    /**
     * Holds the owner thread inside a callback until the returned latch is counted down, so that calls queue up
     * behind it deterministically (an idle owner would take the first call before the next is submitted).
     */
    private static CountDownLatch holdOwner(final PluginDispatcher dispatcher) throws InterruptedException
    {
        final CountDownLatch release = new CountDownLatch(1);
        OwnerCallbacks.runOnOwner(dispatcher, () ->
        {
            try
            {
                release.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        });
        return release;
    }

    private static String echo(final String message)
    {
        return "{\"message\":\"" + message + "\"}";
    }

    /** Submits one call and records, on the owner thread, when it completes. */
    private static CallFuture<String> queue(final PluginDispatcher dispatcher, final CallOptions options, final String name,
        final List<String> order) throws InterruptedException
    {
        final CallFuture<String> future = dispatcher.submit(ECHO, echo(name), options);
        future.thenRun(() -> order.add(name));
        return future;
    }

    @Test
    void shouldServeHighCallsBeforeQueuedNormalCalls() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).highLane(16, 8).build())
        {
            final CountDownLatch busy = holdOwner(dispatcher);
            final List<String> order = new CopyOnWriteArrayList<>();
            final List<CallFuture<String>> futures = new ArrayList<>();
            for (int i = 1; i <= 5; i++)
            {
                futures.add(queue(dispatcher, NORMAL, "n" + i, order));
            }
            for (int i = 1; i <= 3; i++)
            {
                futures.add(queue(dispatcher, HIGH, "h" + i, order));
            }
            busy.countDown();
            for (final CallFuture<String> future : futures)
            {
                assertTrue(future.get(5, TimeUnit.SECONDS).contains("\"message\""));
            }
            awaitSize(order, 8);
            assertEquals(List.of("h1", "h2", "h3", "n1", "n2", "n3", "n4", "n5"), order, "high calls overtake queued normal ones");
            final String stats = dispatcher.call(CallType.json("stats"), "{}");
            assertEquals(1, SamplePlugin.longField(stats, "max_in_flight"), "the plugin is never entered concurrently");
            assertEquals(1, SamplePlugin.longField(stats, "calling_threads"), "one owner thread for both lanes");
        }
    }

    @Test
    void shouldServeOneNormalCallAfterMaxHighCallsInARow() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).highLane(16, 2).build())
        {
            final CountDownLatch busy = holdOwner(dispatcher);
            final List<String> order = new CopyOnWriteArrayList<>();
            for (int i = 1; i <= 3; i++)
            {
                queue(dispatcher, NORMAL, "n" + i, order);
            }
            for (int i = 1; i <= 6; i++)
            {
                queue(dispatcher, HIGH, "h" + i, order);
            }
            busy.countDown();
            awaitSize(order, 9);
            assertEquals(List.of("h1", "h2", "n1", "h3", "h4", "n2", "h5", "h6", "n3"), order, "the starvation bound is 2");
        }
    }

    @Test
    void shouldServeNormalCallsUnderAHighLaneFlood() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).highLane(64, 4).build())
        {
            final AtomicBoolean flooding = new AtomicBoolean(true);
            final AtomicLong highServed = new AtomicLong();
            final List<Thread> flooders = new ArrayList<>();
            for (int t = 0; t < 2; t++)
            {
                flooders.add(Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        while (flooding.get())
                        {
                            // Keeps the high lane full: submit waits for room whenever its 64 places are taken.
                            dispatcher.submit(SLEEP, "{\"duration_ms\":1}", HIGH).thenRun(highServed::incrementAndGet);
                        }
                    }
                    catch (final Exception e)
                    {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            Thread.sleep(50);
            final long start = System.nanoTime();
            for (int i = 0; i < 5; i++)
            {
                assertTrue(dispatcher.call(ECHO, echo("normal"), Duration.ofSeconds(5)).contains("normal"));
            }
            final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(flooding.get() && highServed.get() > 0, "the flood was running");
            flooding.set(false);
            for (final Thread flooder : flooders)
            {
                flooder.join(5_000);
                assertFalse(flooder.isAlive());
            }
            // Each normal call waits for at most 4 high calls of about 1 ms each (plus scheduling on a busy VM).
            assertTrue(elapsedMillis < 1_000, "5 normal calls under a high-lane flood took " + elapsedMillis + " ms");
        }
    }

    @Test
    void shouldGiveEachLaneItsOwnCapacity() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(4).highLane(1, 4).build())
        {
            final CountDownLatch busy = holdOwner(dispatcher);
            final CallFuture<String> queuedHigh = dispatcher.submit(ECHO, echo("high"), HIGH);
            final CallFuture<String> refused = dispatcher.submit(ECHO, echo("no room"), HIGH.withTimeout(Duration.ofMillis(30)));
            assertInstanceOf(DeadlineExceededException.class, assertThrows(ExecutionException.class, refused::get).getCause(),
                "the high lane is full: its capacity is 1");
            assertEquals(1, dispatcher.metrics().total().rejected(), "refused at the door, not shed in the ring");
            final List<CallFuture<String>> normal = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                normal.add(dispatcher.trySubmit(ECHO, echo("normal")).orElseThrow(() -> new AssertionError("the normal lane has room")));
            }
            assertTrue(dispatcher.trySubmit(ECHO, echo("fifth")).isEmpty(), "the normal lane's capacity is 4");
            busy.countDown();
            assertTrue(queuedHigh.get(5, TimeUnit.SECONDS).contains("high"));
            for (final CallFuture<String> future : normal)
            {
                assertTrue(future.get(5, TimeUnit.SECONDS).contains("normal"));
            }
            assertEquals(0, dispatcher.pendingCount());
        }
    }

    @Test
    void shouldCountPendingCallsAndCapacityPerLane() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(4).highLane(2, 4).build())
        {
            assertEquals(4, dispatcher.capacity(Lane.NORMAL));
            assertEquals(2, dispatcher.capacity(Lane.HIGH));
            assertEquals(6, dispatcher.capacity(), "over both lanes");
            final CountDownLatch busy = holdOwner(dispatcher);
            final List<CallFuture<String>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                queued.add(dispatcher.submit(ECHO, echo("normal")));
            }
            queued.add(dispatcher.submit(ECHO, echo("high"), HIGH));
            assertEquals(3, dispatcher.pendingCount(Lane.NORMAL), "the callback holding the owner is no call of a lane");
            assertEquals(1, dispatcher.pendingCount(Lane.HIGH));
            assertEquals(4, dispatcher.pendingCount());
            busy.countDown();
            for (final CallFuture<String> future : queued)
            {
                future.get(5, TimeUnit.SECONDS);
            }
            assertEquals(0, dispatcher.pendingCount(Lane.NORMAL));
            assertEquals(0, dispatcher.pendingCount(Lane.HIGH));
            final IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> dispatcher.submitAll(ECHO, List.of(echo("1"), echo("2"), echo("3"), echo("4"), echo("5"))));
            assertTrue(batch.getMessage().contains("normal lane's capacity of 4"), batch.getMessage());
        }
        try (PluginDispatcher single = PluginDispatcher.builder(SamplePlugin.load()).capacity(4).build())
        {
            assertEquals(0, single.capacity(Lane.HIGH), "no high lane configured");
            assertEquals(0, single.pendingCount(Lane.HIGH));
            assertEquals(4, single.capacity());
        }
    }

    @Test
    void shouldRefuseTheHighLaneWhenNoneIsConfigured() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            assertThrows(IllegalArgumentException.class, () -> dispatcher.submit(ECHO, echo("x"), HIGH));
            assertThrows(IllegalArgumentException.class, () -> dispatcher.call(ECHO, echo("x"), HIGH));
        }
    }

    @Test
    void shouldCompleteEveryFutureInEveryLaneAtShutdown() throws Exception
    {
        for (final boolean now : new boolean[] {false, true})
        {
            final PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(32).highLane(32, 3).build();
            final List<CallFuture<String>> futures = new ArrayList<>();
            futures.add(dispatcher.submit(SLEEP, "{\"duration_ms\":100}"));
            for (int i = 0; i < 30; i++)
            {
                futures.add(dispatcher.submit(ECHO, echo("n" + i), NORMAL));
                futures.add(dispatcher.submit(ECHO, echo("h" + i), HIGH));
            }
            if (now)
            {
                dispatcher.shutdownNow();
            }
            else
            {
                dispatcher.close();
            }
            assertTrue(dispatcher.isTerminated());
            assertTrue(dispatcher.plugin().isClosed(), "the plugin is released after both lanes' STOP");
            int succeeded = 0;
            for (final CallFuture<String> future : futures)
            {
                assertTrue(future.isDone(), "every future completes in every lane");
                try
                {
                    future.get();
                    succeeded++;
                }
                catch (final ExecutionException e)
                {
                    assertTrue(now, "close runs every accepted call: " + e.getCause());
                }
            }
            assertEquals(now ? dispatcher.metrics().total().succeeded() : 61, succeeded);
            assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> dispatcher.submit(ECHO, echo("late"), HIGH));
        }
    }

    @Test
    void shouldNeverLoseACallOrAWakeUpWithBothLanesFullAndBlocked() throws Exception
    {
        for (int round = 0; round < 5; round++)
        {
            final PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(3).highLane(2, 2).build();
            final List<CallFuture<String>> futures = new CopyOnWriteArrayList<>();
            final AtomicLong refused = new AtomicLong();
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++)
            {
                final CallOptions options = p % 2 == 0 ? HIGH : NORMAL;
                producers.add(Thread.ofPlatform().start(() ->
                {
                    while (true)
                    {
                        try
                        {
                            futures.add(dispatcher.submit(ECHO, echo("x"), options));
                        }
                        catch (final java.util.concurrent.RejectedExecutionException closed)
                        {
                            refused.incrementAndGet();
                            return;
                        }
                        catch (final InterruptedException e)
                        {
                            return;
                        }
                    }
                }));
            }
            Thread.sleep(150);
            dispatcher.close();
            for (final Thread producer : producers)
            {
                producer.join(10_000);
                assertFalse(producer.isAlive(), "every blocked producer is released at close");
            }
            assertEquals(4, refused.get());
            for (final CallFuture<String> future : futures)
            {
                assertTrue(future.get(5, TimeUnit.SECONDS).contains("\"x\""), "every accepted call in either lane runs");
            }
            assertEquals(futures.size(), dispatcher.metrics().total().succeeded());
            assertTrue(futures.size() > 100, "both lanes kept moving: " + futures.size() + " calls");
        }
    }

    private static void awaitSize(final List<String> list, final int size) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list.size() < size && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
    }
}
