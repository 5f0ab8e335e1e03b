package dev.ringbridge.dispatcher;

import com.lmax.disruptor.RingBuffer;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.RejectedExecutionException;

/**
 * The producers' side of the ring: claims room through the {@link ClaimGate}, fills the claimed slots and
 * publishes them, counting refusals. Encoding happened before (on the caller's thread, outside any claim), so
 * between claim and publish nothing can fail but a bug, and every claimed slot is published in {@code finally}.
 *
 * <p><b>Threads.</b> Any caller thread; the owner thread too, which never waits for room (it drains the ring).
 */
final class RingWriter
{
    /** A claim's timeout meaning: wait as long as it takes. */
    static final long UNTIL_ROOM = Long.MAX_VALUE;
    /**
     * The furthest a deadline is put, about 73 years: the deadline of a call without one when metrics are on, and
     * the cap of any other, so {@code now - deadline} never overflows.
     */
    private static final long FAR_NANOS = Long.MAX_VALUE >> 1;

    private final RingBuffer<CallEvent> ring;
    private final ClaimGate gate;
    private final DispatcherMetrics metrics;
    private final Thread owner;
    private final boolean timed;

    RingWriter(final RingBuffer<CallEvent> ring, final ClaimGate gate, final DispatcherMetrics metrics, final Thread owner)
    {
        this.ring = ring;
        this.gate = gate;
        this.metrics = metrics;
        this.owner = owner;
        this.timed = metrics.latencyEnabled();
    }

    /** The most calls this ring holds: its lane's capacity. */
    int capacity()
    {
        return gate.capacity();
    }

    private long stamp()
    {
        return timed ? System.nanoTime() : 0;
    }

    /**
     * Claims {@code n} slots: waiting as long as needed ({@link #UNTIL_ROOM}), not at all (0) or at most
     * {@code timeoutNanos}. The owner thread drains the ring, so it never waits for room: where a wait would be
     * needed it is refused.
     *
     * @return the highest sequence claimed, or -1 when there was no room (in time).
     */
    long claim(final int n, final long timeoutNanos) throws InterruptedException
    {
        final boolean onOwner = Thread.currentThread() == owner;
        final long sequence;
        try
        {
            if (onOwner || timeoutNanos == 0)
            {
                sequence = gate.tryClaim(n);
            }
            else
            {
                sequence = timeoutNanos == UNTIL_ROOM ? gate.claim(n) : gate.claim(n, timeoutNanos);
            }
        }
        catch (final RejectedExecutionException e)
        {
            metrics.recordRejected();
            throw e;
        }
        if (sequence < 0)
        {
            metrics.recordRejected();
            if (onOwner && timeoutNanos != 0)
            {
                throw new RejectedExecutionException("the ring is full (capacity " + gate.capacity()
                    + ") and this submit runs on the dispatcher's own thread, which cannot wait for room");
            }
        }
        return sequence;
    }

    /** A claim that never waits, so cannot be interrupted. */
    long claimIfRoom()
    {
        try
        {
            return claim(1, 0);
        }
        catch (final InterruptedException e)
        {
            throw new IllegalStateException("unreachable: a claim that does not wait cannot be interrupted", e);
        }
    }

    /**
     * Fills the claimed slot and publishes it; a slot is published even when filling fails.
     *
     * @param deadlineNanos the call's {@link #deadlineAt deadline}, or {@link CallEvent#NO_DEADLINE}.
     * @param budgetNanos   the deadline as time after submit (for the message of a shed call).
     */
    void publish(final long sequence, final CallType<?, ?> type, final byte[] encoded, final Completion completion,
        final long deadlineNanos, final long budgetNanos)
    {
        try
        {
            fill(sequence, type, encoded, completion, stamp(), deadlineNanos, budgetNanos);
        }
        finally
        {
            publishClaimed(sequence, sequence);
        }
    }

    /** Fills the slots up to {@code high}, one per completion, and publishes them at once. */
    void publishAll(final long high, final CallType<?, ?> type, final byte[][] encoded, final Completion[] completions,
        final long deadlineNanos, final long budgetNanos)
    {
        final long low = high - completions.length + 1;
        final long submitNanos = stamp();
        try
        {
            for (int i = 0; i < completions.length; i++)
            {
                fill(low + i, type, encoded[i], completions[i], submitNanos, deadlineNanos, budgetNanos);
            }
        }
        finally
        {
            publishClaimed(low, high);
        }
    }

    /** A binary call with the caller's own request and response memory. */
    void publishSegments(final long sequence, final int messageId, final MemorySegment request, final MemorySegment response,
        final Completion completion)
    {
        try
        {
            final CallEvent event = ring.get(sequence);
            event.kind = CallEvent.BINARY_SEGMENTS;
            event.typeTag = null;
            event.messageId = messageId;
            event.typeId = TypeIds.ofMessage(messageId);
            event.request = request;
            event.response = response;
            event.completion = completion;
            final long submitNanos = stamp();
            event.submitNanos = submitNanos;
            deadline(event, submitNanos, CallEvent.NO_DEADLINE, 0);
        }
        finally
        {
            publishClaimed(sequence, sequence);
        }
    }

    private void fill(final long sequence, final CallType<?, ?> type, final byte[] encoded, final Completion completion,
        final long submitNanos, final long deadlineNanos, final long budgetNanos)
    {
        final CallEvent event = ring.get(sequence);
        event.kind = type.binaryTransport() ? CallEvent.BINARY : CallEvent.JSON;
        event.typeTag = type.nativeTypeTag();
        event.messageId = type.messageId();
        event.typeId = type.typeId();
        event.request = encoded;
        event.response = null;
        event.completion = completion;
        event.submitNanos = submitNanos;
        deadline(event, submitNanos, deadlineNanos, budgetNanos);
    }

    /**
     * Caller thread, when the call is submitted (before any wait for room): the call's deadline.
     *
     * @param budgetNanos the time from now until the deadline, or {@link CallOptions#NO_BUDGET}.
     * @return the deadline as a {@link System#nanoTime()} reading, or {@link CallEvent#NO_DEADLINE}.
     */
    static long deadlineAt(final long budgetNanos)
    {
        if (budgetNanos == CallOptions.NO_BUDGET)
        {
            return CallEvent.NO_DEADLINE;
        }
        final long deadline = System.nanoTime() + Math.max(-FAR_NANOS, Math.min(FAR_NANOS, budgetNanos));
        // One nanosecond off in the one case out of 2^64 where a real deadline would read as none.
        return deadline == CallEvent.NO_DEADLINE ? deadline + 1 : deadline;
    }

    /**
     * Sets the slot's deadline. With metrics on, a call without a deadline gets one far off, so the owner compares
     * every call the same way, with the clock reading it makes anyway; with metrics off it keeps
     * {@link CallEvent#NO_DEADLINE}, and the owner reads the clock only for calls with a deadline.
     */
    private void deadline(final CallEvent event, final long submitNanos, final long deadlineNanos, final long budgetNanos)
    {
        event.deadlineNanos = deadlineNanos == CallEvent.NO_DEADLINE && timed ? submitNanos + FAR_NANOS : deadlineNanos;
        event.budgetNanos = budgetNanos;
    }

    private void publishClaimed(final long low, final long high)
    {
        try
        {
            gate.publish(low, high);
        }
        catch (final RejectedExecutionException e)
        {
            metrics.recordRejected();
            throw e;
        }
    }
}
