package dev.ringbridge.dispatcher;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * How the idle owner thread waits: spins for {@code spinNanos}, yields until {@code yieldNanos}, then parks;
 * a publish unparks it only when it actually sleeps. The Disruptor's blocking strategies take a lock and
 * signal a condition on every publish whether or not anyone waits; here a publish that finds the owner awake
 * costs one fence and one read.
 *
 * <p><b>No lost wake-up.</b> The owner stores itself in {@link #sleeper} and issues a full fence before it reads
 * the cursor one last time and parks. A producer's publish stores the slot's availability, issues a full fence
 * and then reads {@link #sleeper}. So either the owner's last read sees the new cursor, or the producer sees
 * the sleeper and unparks it. Only one thread, the owner, ever waits here.
 */
final class ParkingWaitStrategy implements WaitStrategy
{
    private static final int SPIN_TRIES = 100;

    private final long spinNanos;
    private final long yieldNanos;
    /** The owner thread while it sleeps or is about to, else null. Written by the owner, read by producers. */
    private volatile Thread sleeper;

    /**
     * @param spinNanos  how long the idle owner spins before yielding.
     * @param yieldNanos how long, from the start of the wait, it spins and yields before it parks.
     */
    ParkingWaitStrategy(final long spinNanos, final long yieldNanos)
    {
        this.spinNanos = spinNanos;
        this.yieldNanos = yieldNanos;
    }

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException
    {
        long available = dependentSequence.get();
        if (available >= sequence)
        {
            return available;
        }
        if (yieldNanos > 0)
        {
            final long start = System.nanoTime();
            int counter = SPIN_TRIES;
            while ((available = dependentSequence.get()) < sequence)
            {
                barrier.checkAlert();
                if (--counter > 0)
                {
                    Thread.onSpinWait();
                    continue;
                }
                counter = SPIN_TRIES;
                final long elapsed = System.nanoTime() - start;
                if (elapsed > yieldNanos)
                {
                    return sleep(sequence, dependentSequence, barrier);
                }
                if (elapsed > spinNanos)
                {
                    Thread.yield();
                }
            }
            return available;
        }
        return sleep(sequence, dependentSequence, barrier);
    }

    private long sleep(final long sequence, final Sequence dependentSequence, final SequenceBarrier barrier) throws AlertException
    {
        final Thread owner = Thread.currentThread();
        try
        {
            while (true)
            {
                sleeper = owner;
                VarHandle.fullFence();
                final long available = dependentSequence.get();
                if (available >= sequence)
                {
                    return available;
                }
                barrier.checkAlert();
                LockSupport.park(this);
            }
        }
        finally
        {
            sleeper = null;
        }
    }

    @Override
    public void signalAllWhenBlocking()
    {
        // Producer thread, after its publish store: pairs with the owner's fence in sleep().
        VarHandle.fullFence();
        final Thread owner = sleeper;
        if (owner != null)
        {
            LockSupport.unpark(owner);
        }
    }
}
