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

    /** Fills the claimed slot and publishes it; a slot is published even when filling fails. */
    void publish(final long sequence, final CallType<?, ?> type, final byte[] encoded, final Completion completion)
    {
        try
        {
            fill(sequence, type, encoded, completion, stamp());
        }
        finally
        {
            publishClaimed(sequence, sequence);
        }
    }

    /** Fills the slots up to {@code high}, one per completion, and publishes them at once. */
    void publishAll(final long high, final CallType<?, ?> type, final byte[][] encoded, final Completion[] completions)
    {
        final long low = high - completions.length + 1;
        final long submitNanos = stamp();
        try
        {
            for (int i = 0; i < completions.length; i++)
            {
                fill(low + i, type, encoded[i], completions[i], submitNanos);
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
            event.request = request;
            event.response = response;
            event.completion = completion;
            event.submitNanos = stamp();
        }
        finally
        {
            publishClaimed(sequence, sequence);
        }
    }

    private void fill(final long sequence, final CallType<?, ?> type, final byte[] encoded, final Completion completion,
        final long submitNanos)
    {
        final CallEvent event = ring.get(sequence);
        event.kind = type.binaryTransport() ? CallEvent.BINARY : CallEvent.JSON;
        event.typeTag = type.nativeTypeTag();
        event.messageId = type.messageId();
        event.request = encoded;
        event.response = null;
        event.completion = completion;
        event.submitNanos = submitNanos;
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
