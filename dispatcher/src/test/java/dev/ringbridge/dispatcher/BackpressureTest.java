package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@NeedsSamplePlugin
class BackpressureTest
{
    private static final int CAPACITY = 5;

    private PluginDispatcher dispatcher;
    private CountDownLatch releaseOwner;

    @BeforeEach
    void start() throws Exception
    {
        dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(CAPACITY).build();
        releaseOwner = new CountDownLatch(1);
    }

    @AfterEach
    void stop()
    {
        releaseOwner.countDown();
        dispatcher.close();
    }

    /** Holds the owner thread inside a callback until released, so the ring fills up deterministically. */
    private void blockOwner() throws InterruptedException
    {
        OwnerCallbacks.runOnOwner(dispatcher, () ->
        {
            try
            {
                releaseOwner.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void shouldAcceptExactlyCapacityCallsThenBlock() throws Exception
    {
        blockOwner();
        // The held call has finished (its room is free): fill the ring to exactly CAPACITY pending calls.
        final List<CallFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++)
        {
            queued.add(dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"q" + i + "\"}").orElseThrow());
        }
        assertEquals(CAPACITY, dispatcher.pendingCount());
        assertTrue(dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"over\"}").isEmpty(), "the ring is full at capacity");

        final AtomicReference<CallFuture<String>> blocked = new AtomicReference<>();
        final Thread producer = Thread.ofPlatform().start(() ->
        {
            try
            {
                blocked.set(dispatcher.submit(CallType.json("echo"), "{\"message\":\"blocked\"}"));
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
        });
        awaitState(producer, Thread.State.WAITING);
        assertEquals(null, blocked.get(), "the producer is blocked in the claim");

        releaseOwner.countDown();
        producer.join(5_000);
        assertFalse(producer.isAlive());
        assertTrue(blocked.get().get(5, TimeUnit.SECONDS).contains("blocked"));
        for (final CallFuture<String> future : queued)
        {
            assertTrue(future.get(5, TimeUnit.SECONDS).contains("\"q"));
        }
        assertEquals(1, dispatcher.metrics().total().rejected(), "the one refused trySubmit");
    }

    @Test
    void shouldTimeOutWhileBlockedWithoutSubmitting() throws Exception
    {
        blockOwner();
        fill();
        final long submitted = dispatcher.metrics().submittedCount();
        final long start = System.nanoTime();
        final TimeoutException e = assertThrows(TimeoutException.class,
            () -> dispatcher.submit(CallType.json("echo"), "{\"message\":\"late\"}", Duration.ofMillis(100)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(e.getMessage().contains("capacity 5"), e.getMessage());
        assertThrows(TimeoutException.class, () -> dispatcher.call(CallType.json("echo"), "{\"message\":\"late\"}", Duration.ofMillis(20)));
        assertEquals(submitted, dispatcher.metrics().submittedCount(), "nothing was submitted");
    }

    @Test
    void shouldBeInterruptibleWhileBlocked() throws Exception
    {
        blockOwner();
        fill();
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final Thread producer = Thread.ofPlatform().start(() ->
        {
            try
            {
                dispatcher.call(CallType.json("echo"), "{\"message\":\"never\"}");
            }
            catch (final Throwable t)
            {
                outcome.set(t);
            }
        });
        awaitState(producer, Thread.State.WAITING);
        producer.interrupt();
        producer.join(5_000);
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertEquals(CAPACITY, dispatcher.pendingCount());
    }

    @Test
    void shouldReleaseBlockedProducersAtShutdown() throws Exception
    {
        blockOwner();
        final List<CallFuture<String>> accepted = fill();
        final List<AtomicReference<Throwable>> outcomes = new ArrayList<>();
        final List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            outcomes.add(outcome);
            producers.add(Thread.ofPlatform().start(() ->
            {
                try
                {
                    dispatcher.submit(CallType.json("echo"), "{\"message\":\"blocked\"}");
                }
                catch (final Throwable t)
                {
                    outcome.set(t);
                }
            }));
        }
        for (final Thread producer : producers)
        {
            awaitState(producer, Thread.State.WAITING);
        }
        final Thread closer = Thread.ofPlatform().start(dispatcher::close);
        for (final Thread producer : producers)
        {
            producer.join(5_000);
            assertFalse(producer.isAlive(), "a producer blocked in the claim is released by shutdown");
        }
        for (final AtomicReference<Throwable> outcome : outcomes)
        {
            assertInstanceOf(RejectedExecutionException.class, outcome.get());
        }
        releaseOwner.countDown();
        closer.join(5_000);
        assertFalse(closer.isAlive());
        for (final CallFuture<String> future : accepted)
        {
            assertTrue(future.get(1, TimeUnit.SECONDS).contains("fill"), "close runs every accepted call");
        }
    }

    @Test
    void shouldClaimRoomForAWholeBatchOrWait() throws Exception
    {
        blockOwner();
        dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"a\"}").orElseThrow();
        dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"b\"}").orElseThrow();
        final AtomicReference<List<CallFuture<String>>> batch = new AtomicReference<>();
        final Thread producer = Thread.ofPlatform().start(() ->
        {
            try
            {
                batch.set(dispatcher.submitAll(CallType.json("echo"),
                    List.of("{\"message\":\"b0\"}", "{\"message\":\"b1\"}", "{\"message\":\"b2\"}", "{\"message\":\"b3\"}")));
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
        });
        awaitState(producer, Thread.State.WAITING);
        assertEquals(2, dispatcher.pendingCount(), "a batch of 4 takes its room all at once, not 3 of it now");
        assertTrue(dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"c\"}").isPresent(),
            "the room a waiting batch cannot use stays free for others");

        releaseOwner.countDown();
        producer.join(5_000);
        assertFalse(producer.isAlive());
        final List<CallFuture<String>> futures = batch.get();
        assertEquals(4, futures.size());
        for (int i = 0; i < futures.size(); i++)
        {
            assertTrue(futures.get(i).get(5, TimeUnit.SECONDS).contains("\"b" + i + "\""), "one future per request, in order");
        }
        assertThrows(IllegalArgumentException.class, () -> dispatcher.submitAll(CallType.json("echo"),
            java.util.Collections.nCopies(CAPACITY + 1, "{}")));
        assertEquals(List.of(), dispatcher.submitAll(CallType.json("echo"), List.of()));
    }

    @Test
    void shouldTrySubmitWithinATimeout() throws Exception
    {
        blockOwner();
        fill();
        final long start = System.nanoTime();
        assertTrue(dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"late\"}", Duration.ofMillis(50)).isEmpty());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        releaseOwner.countDown();
        assertTrue(dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"in time\"}", Duration.ofSeconds(5))
            .orElseThrow().get(5, TimeUnit.SECONDS).contains("in time"));
    }

    @Test
    void shouldRefuseToBlockTheOwnerThreadOnAFullRing() throws Exception
    {
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        OwnerCallbacks.runOnOwner(dispatcher, () ->
        {
            // Nothing drains while the owner is in here: fill the ring, then a submit would wait forever.
            try
            {
                while (dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"from owner\"}").isPresent())
                {
                    assertTrue(dispatcher.pendingCount() <= CAPACITY);
                }
                dispatcher.submit(CallType.json("echo"), "{\"message\":\"one too many\"}");
            }
            catch (final Throwable t)
            {
                outcome.set(t);
            }
            done.countDown();
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, outcome.get());
        assertTrue(outcome.get().getMessage().contains("cannot wait for room"), outcome.get().getMessage());
    }

    @Test
    void shouldNotBurnCpuWhileBlocked() throws Exception
    {
        blockOwner();
        fill();
        final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        final List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            producers.add(Thread.ofPlatform().start(() ->
            {
                try
                {
                    dispatcher.submit(CallType.json("echo"), "{\"message\":\"wait\"}");
                }
                catch (final Exception ignored)
                {
                    // released by shutdown at the end of the test
                }
            }));
        }
        for (final Thread producer : producers)
        {
            awaitState(producer, Thread.State.WAITING);
        }
        final long before = producers.stream().mapToLong(t -> mx.getThreadCpuTime(t.threadId())).sum();
        Thread.sleep(300);
        final long after = producers.stream().mapToLong(t -> mx.getThreadCpuTime(t.threadId())).sum();
        assertTrue(after - before < TimeUnit.MILLISECONDS.toNanos(20),
            "4 blocked producers used " + (after - before) / 1000 + " us of CPU in 300 ms");
        releaseOwner.countDown();
        for (final Thread producer : producers)
        {
            producer.join(5_000);
        }
    }

    private List<CallFuture<String>> fill()
    {
        final List<CallFuture<String>> accepted = new ArrayList<>();
        CallFuture<String> future;
        while ((future = dispatcher.trySubmit(CallType.json("echo"), "{\"message\":\"fill\"}").orElse(null)) != null)
        {
            accepted.add(future);
        }
        assertEquals(CAPACITY, dispatcher.pendingCount());
        return accepted;
    }

    private static void awaitState(final Thread thread, final Thread.State state) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != state && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(state, thread.getState());
        // A parked thread stays parked while there is no room: give it a moment to prove it.
        Thread.sleep(20);
        assertEquals(state, thread.getState());
    }

}
