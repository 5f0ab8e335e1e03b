package dev.ringbridge.dispatcher;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Admits producers to the ring: at most {@code capacity} calls accepted and not yet finished.
 *
 * <p>The Disruptor's own claim on a full ring loops on {@code parkNanos(1)} with no timeout and no
 * interrupt, and a multi-producer claim cannot be abandoned. So producers first take a permit here,
 * and only then claim a slot: the ring is sized above the capacity, so with a permit in hand the
 * claim never waits. Waiting for a permit is a {@link Semaphore} wait: it parks (virtual threads
 * unmount), is interruptible, honours a timeout and costs no CPU.
 *
 * <p>{@link #close()} shuts the gate for good: it wakes every blocked producer, who then leaves with
 * a rejection, and waits for producers in the middle of a publish to finish, so that after it returns
 * nothing more is published. Producers must pair a successful {@code enter...} with {@link #exit()}
 * once their event is published; the owner thread calls {@link #release()} once per finished call.
 */
final class ClaimGate
{
    private static final long CLOSED = 1L << 62;

    private final Semaphore permits;
    private final int capacity;
    /** CLOSED bit plus the producers between entering and exiting; updated atomically by any thread. */
    private final AtomicLong producers = new AtomicLong();

    ClaimGate(final int capacity)
    {
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * Waits for room, as long as needed.
     *
     * @throws RejectedExecutionException when the gate is or becomes closed.
     * @throws InterruptedException       when interrupted while waiting; nothing was admitted.
     */
    void enter() throws InterruptedException
    {
        admitProducer();
        try
        {
            if (!permits.tryAcquire())
            {
                permits.acquire();
            }
            checkOpenAfterPermit();
        }
        catch (final InterruptedException | RuntimeException e)
        {
            leaveProducer();
            throw e;
        }
    }

    /**
     * Waits for room for at most {@code timeoutNanos}.
     *
     * @throws TimeoutException           when no room came in time; nothing was admitted.
     * @throws RejectedExecutionException when the gate is or becomes closed.
     * @throws InterruptedException       when interrupted while waiting.
     */
    void enter(final long timeoutNanos) throws InterruptedException, TimeoutException
    {
        admitProducer();
        try
        {
            if (!permits.tryAcquire() && !permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS))
            {
                throw new TimeoutException("no room in the ring (capacity " + capacity + ") within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            checkOpenAfterPermit();
        }
        catch (final InterruptedException | TimeoutException | RuntimeException e)
        {
            leaveProducer();
            throw e;
        }
    }

    /**
     * Takes room only if there is some now.
     *
     * @return false when the ring is full.
     * @throws RejectedExecutionException when the gate is closed.
     */
    boolean tryEnter()
    {
        admitProducer();
        if (!permits.tryAcquire())
        {
            leaveProducer();
            return false;
        }
        try
        {
            checkOpenAfterPermit();
        }
        catch (final RuntimeException e)
        {
            leaveProducer();
            throw e;
        }
        return true;
    }

    /** A producer that entered has published its event. */
    void exit()
    {
        leaveProducer();
    }

    /** The owner thread finished one call: its room is free again. */
    void release()
    {
        permits.release();
    }

    boolean isClosed()
    {
        return (producers.get() & CLOSED) != 0;
    }

    /**
     * Shuts the gate, releases every blocked producer with a rejection, and waits until no producer
     * is between enter and exit.
     *
     * @return true for the one call that closed the gate.
     */
    boolean close()
    {
        final long previous = producers.getAndUpdate(value -> value | CLOSED);
        if ((previous & CLOSED) != 0)
        {
            return false;
        }
        // Wake every waiter: each sees CLOSED after its permit and leaves. Permits no longer count room.
        permits.release(Integer.MAX_VALUE / 2);
        while ((producers.get() & ~CLOSED) != 0)
        {
            // Only producers between taking a permit and publishing remain: a few instructions each.
            LockSupport.parkNanos(10_000);
        }
        return true;
    }

    private void admitProducer()
    {
        if ((producers.getAndIncrement() & CLOSED) != 0)
        {
            producers.getAndDecrement();
            throw closedRejection();
        }
    }

    private void leaveProducer()
    {
        producers.getAndDecrement();
    }

    private void checkOpenAfterPermit()
    {
        if ((producers.get() & CLOSED) != 0)
        {
            permits.release();
            throw closedRejection();
        }
    }

    private static RejectedExecutionException closedRejection()
    {
        return new RejectedExecutionException("the plugin dispatcher is shut down and accepts no more calls");
    }
}
