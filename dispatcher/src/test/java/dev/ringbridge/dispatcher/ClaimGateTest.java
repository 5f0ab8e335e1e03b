package dev.ringbridge.dispatcher;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate alone, with this test playing the owner thread ({@link ClaimGate#release}): exact capacity, the closer's
 * wait for a STOP slot, and the producer's wait for the STOP sequence that decides whether its call is accepted.
 */
class ClaimGateTest
{
    /** How long a thread must stay blocked to count as waiting. */
    private static final long BLOCKED_MILLIS = 200;

    /** One thread per task: the tasks block, and a shared pool of one thread would run them one after another. */
    private static final Executor THREADS = task -> Thread.ofPlatform().daemon().start(task);

    private static RingBuffer<CallEvent> ring(final int size)
    {
        return RingBuffer.createMultiProducer(CallEvent::new, size, new BlockingWaitStrategy());
    }

    private static ClaimGate gate(final int capacity)
    {
        final int size = Integer.highestOneBit(capacity) == capacity ? capacity : Integer.highestOneBit(capacity) << 1;
        return new ClaimGate(ring(size), capacity);
    }

    /** Claims and publishes {@code n} calls; returns the last sequence. */
    private static long accept(final ClaimGate gate, final int n)
    {
        long last = -1;
        for (int i = 0; i < n; i++)
        {
            last = gate.tryClaim(1);
            assertTrue(last >= 0, "room for call " + i);
            gate.publish(last, last);
        }
        return last;
    }

    private static void assertBlocked(final CompletableFuture<?> task, final String what) throws Exception
    {
        assertThrows(TimeoutException.class, () -> task.get(BLOCKED_MILLIS, TimeUnit.MILLISECONDS), what);
    }

    /** Claims one slot on another thread, waiting as long as it takes. */
    private static CompletableFuture<Long> claimElsewhere(final ClaimGate gate)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return gate.claim(1);
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
        }, THREADS);
    }

    @Test
    void shouldAdmitExactlyItsCapacityEvenWhenTheRingIsLarger()
    {
        final ClaimGate gate = gate(5);
        assertEquals(3, gate.firstCallSequence(), "the slack of a ring of 8 for 5 calls");
        final long last = accept(gate, 5);
        assertEquals(7, last);
        assertEquals(-1, gate.tryClaim(1), "a sixth call finds no room");
        gate.release(gate.firstCallSequence());
        assertEquals(8, gate.tryClaim(1), "one call finished, one place free");
    }

    @Test
    void shouldMakeTheCloserWaitForRoomAndPublishStopBehindEveryAcceptedCall() throws Exception
    {
        final ClaimGate gate = gate(4);
        final long last = accept(gate, 4);
        final CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> gate.close(false), THREADS);
        assertBlocked(closing, "close() waits for a slot for STOP while the ring is full");
        assertEquals(-1, gate.stopSequence(), "no STOP before it has a slot");
        assertTrue(gate.isClosed(), "but the gate refuses claims already");
        assertThrows(RejectedExecutionException.class, () -> gate.tryClaim(1));

        gate.release(gate.firstCallSequence());
        closing.get(5, TimeUnit.SECONDS);
        assertEquals(last + 1, gate.stopSequence(), "STOP right behind the last accepted call");
        gate.close(false);
        assertEquals(last + 1, gate.stopSequence(), "a second close publishes no second STOP");
    }

    /** The closer's wait for a STOP slot cannot be given up (STOP must go in), so an interrupt is kept for later. */
    @Test
    void shouldKeepTheClosersInterruptWhileItWaitsForAStopSlot() throws Exception
    {
        final ClaimGate gate = gate(4);
        final long last = accept(gate, 4);
        final CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        final Thread closer = Thread.ofPlatform().daemon().start(() ->
        {
            gate.close(false);
            interruptKept.complete(Thread.currentThread().isInterrupted());
        });
        assertBlocked(interruptKept, "close() waits for a slot for STOP while the ring is full");
        closer.interrupt();
        assertBlocked(interruptKept, "an interrupt does not end the wait");
        gate.release(gate.firstCallSequence());
        assertTrue(interruptKept.get(5, TimeUnit.SECONDS), "the closer's interrupt status is set again");
        assertEquals(last + 1, gate.stopSequence());
    }

    @Test
    void shouldAcceptACallPublishedAfterCloseWhenItLiesBeforeStop() throws Exception
    {
        final ClaimGate gate = gate(4);
        accept(gate, 3);
        final long mine = gate.tryClaim(1);
        final CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> gate.close(false), THREADS);
        assertBlocked(closing, "close() waits for room");
        assertTrue(gate.isClosed());

        // Claimed before the close, published after it: the producer cannot know yet on which side of STOP it is.
        final CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> gate.publish(mine, mine), THREADS);
        assertBlocked(publishing, "the producer waits for the STOP sequence before it decides");

        gate.release(gate.firstCallSequence());
        closing.get(5, TimeUnit.SECONDS);
        publishing.get(5, TimeUnit.SECONDS); // accepted: no rejection
        assertEquals(mine + 1, gate.stopSequence(), "and it lies before STOP, so the owner runs it");
    }

    @Test
    void shouldRejectACallThatLandedBehindStop() throws Exception
    {
        final RingBuffer<CallEvent> ring = ring(4);
        final ClaimGate gate = new ClaimGate(ring, 4);
        final long before = gate.tryClaim(1);
        gate.close(false);
        assertEquals(before + 1, gate.stopSequence());
        // A producer that found the gate open, then lost the race to the closer: it claims the slot after STOP.
        final long behind = ring.next();
        assertEquals(gate.stopSequence() + 1, behind);
        assertThrows(RejectedExecutionException.class, () -> gate.publish(behind, behind), "the owner never runs it");
        gate.publish(before, before); // before STOP: accepted
    }

    @Test
    void shouldWakeAWaitingProducerWhenRoomComesBack() throws Exception
    {
        final ClaimGate gate = gate(4);
        final long last = accept(gate, 4);
        final CompletableFuture<Long> waiting = claimElsewhere(gate);
        assertBlocked(waiting, "a full ring makes the producer wait");
        gate.release(gate.firstCallSequence());
        gate.endOfBatch();
        assertEquals(last + 1, waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldGiveUpAWaitForRoomAtItsTimeoutAndOnClose() throws Exception
    {
        final ClaimGate gate = gate(2);
        accept(gate, 2);
        final long start = System.nanoTime();
        assertEquals(-1, gate.claim(1, TimeUnit.MILLISECONDS.toNanos(50)), "no room within the timeout");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "it waited for the timeout");
        assertEquals(-1, gate.claim(1, 0), "a zero timeout does not wait");

        final CompletableFuture<Long> waiting = claimElsewhere(gate);
        assertBlocked(waiting, "a full ring makes the producer wait");
        final CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> gate.close(false), THREADS);
        final Throwable rejected = assertThrows(ExecutionException.class,
            () -> waiting.get(5, TimeUnit.SECONDS)).getCause();
        assertTrue(rejected instanceof RejectedExecutionException, "the waiter leaves with a rejection: " + rejected);
        gate.release(gate.firstCallSequence());
        closing.get(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldFillTheSlackWithNoOpEventsBeforeTheFirstCall()
    {
        final RingBuffer<CallEvent> ring = ring(8);
        final ClaimGate gate = new ClaimGate(ring, 5);
        for (long sequence = 0; sequence < 3; sequence++)
        {
            assertEquals(CallEvent.NOOP, ring.get(sequence).kind, "slack slot " + sequence);
            assertTrue(ring.isAvailable(sequence), "published: the owner skips it");
        }
        assertEquals(2, ring.getCursor());
        assertEquals(3, gate.tryClaim(1), "the first call comes right after the slack");
    }

    @Test
    void shouldRefuseEveryClaimOnceClosed() throws Exception
    {
        final ClaimGate gate = gate(4);
        gate.close(false);
        assertEquals("the plugin dispatcher is shut down and accepts no more calls",
            assertThrows(RejectedExecutionException.class, () -> gate.claim(1)).getMessage());
        assertThrows(RejectedExecutionException.class, () -> gate.claim(1, TimeUnit.SECONDS.toNanos(1)));
        assertThrows(RejectedExecutionException.class, () -> gate.tryClaim(1));
        assertEquals(0, gate.stopSequence(), "STOP took the first slot");
    }

    @Test
    void shouldPublishStopAtOnceOnTheOwnerThreadWhenThereIsRoom()
    {
        final ClaimGate gate = gate(4);
        final long last = accept(gate, 1);
        gate.close(true);
        assertEquals(last + 1, gate.stopSequence());
        gate.close(true);
        assertEquals(last + 1, gate.stopSequence(), "a second close publishes no second STOP");
    }

    @Test
    void shouldOweStopOnTheOwnerThreadUntilACallFreesASlot()
    {
        final ClaimGate gate = gate(2);
        final long last = accept(gate, 2);
        gate.close(true); // the owner cannot wait for room, and does not
        assertEquals(-1, gate.stopSequence(), "no room: STOP is owed");
        gate.close(false); // already closed: returns at once though the ring is still full
        gate.release(gate.firstCallSequence());
        assertEquals(last + 1, gate.stopSequence(), "published by the release that freed a slot");
    }
}
