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
 * <p>Only the owner thread calls {@link #waitFor}. The reading goes to the owner's {@link OwnerClock}, not to a
 * field here: producers read this object on every publish ({@link #signalAllWhenBlocking()}), and a field the owner
 * wrote on every call would share their cache line.
 */
final class ClockedWaitStrategy implements WaitStrategy
{
    private final WaitStrategy delegate;
    /** Set once before the owner starts (the start orders it before every read); owner thread only after. */
    private OwnerClock clock;

    ClockedWaitStrategy(final WaitStrategy delegate)
    {
        this.delegate = delegate;
    }

    /**
     * @param clock the owner's clock, allocated apart from this object (after the ring's slots), so the two do not
     *              share a cache line.
     */
    void attach(final OwnerClock clock)
    {
        this.clock = clock;
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
        clock.set(System.nanoTime());
        return woken;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        delegate.signalAllWhenBlocking();
    }

}
