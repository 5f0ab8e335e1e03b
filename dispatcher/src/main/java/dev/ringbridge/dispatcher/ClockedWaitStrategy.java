package dev.ringbridge.dispatcher;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

/**
 * Wraps the owner's wait strategy to read the clock only when the owner actually waited for work, so that with
 * metrics on a busy owner reads the clock once per call: the end of one call is the start of the next, and after
 * a wait the start is the moment the wait ended. An owner with work queued returns at once, without a reading.
 *
 * <p>Only the owner thread calls {@link #waitFor}; {@link #lastClock} is its own.
 */
final class ClockedWaitStrategy implements WaitStrategy
{
    private final WaitStrategy delegate;
    /** The owner's last clock reading: the end of its last call or of its last wait. Owner thread only. */
    private long lastClock;

    ClockedWaitStrategy(final WaitStrategy delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException
    {
        final long available = dependentSequence.get();
        if (available >= sequence)
        {
            return available;
        }
        final long woken = delegate.waitFor(sequence, cursor, dependentSequence, barrier);
        lastClock = System.nanoTime();
        return woken;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        delegate.signalAllWhenBlocking();
    }

    /** Owner thread: when the call about to run started, as far as the clock was read. */
    long lastClock()
    {
        return lastClock;
    }

    /** Owner thread: the end of a call, read by the owner; the start of the next one. */
    void lastClock(final long nanos)
    {
        lastClock = nanos;
    }
}
