package dev.ringbridge.dispatcher;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;

import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * Admits calls to the ring: at most {@code capacity} calls accepted and not yet finished, any positive
 * number, with no lock and no shared counter on the way in.
 *
 * <p><b>Exact capacity from the ring itself.</b> The ring has {@code size}, the power of two at or above the
 * capacity, and producers are gated by one sequence only, {@link #released}, which the owner thread moves to
 * {@code finished - slack} after each call ({@code slack = size - capacity}). The ring's own claim lets a
 * producer take sequence {@code s} when {@code s - size <= released}, that is when fewer than
 * {@code capacity} calls are unfinished. {@code slack} no-op events are published before the owner starts,
 * so the gate starts where the ring's cached view of it does. The fast path of a submit is the ring's claim
 * (one CAS on its cursor) and publish: nothing else shared is written.
 *
 * <p><b>Waiting for room.</b> A producer that finds the ring full queues its thread in {@link #waiters}, checks
 * again and parks (interruptible, optionally timed, no CPU). The owner looks for waiters only every
 * {@link #wakeRoom} calls, and unparks the first when that much room is free; a producer that gets room wakes
 * the next one while that much is still free. So a wake-up, which costs tens of microseconds on a virtual
 * machine, pays for a quarter of the capacity, and blocked producers do not take turns per slot. At the end of
 * each batch the owner also unparks the first waiter whatever the room (see below). Not fair: a producer
 * arriving on the fast path may take room first.
 * <em>No lost wake-up:</em> a waiter queues itself (a CAS, a full fence) before it reads {@link #released} again;
 * at the end of each batch the owner issues a full fence after its last store of {@link #released} and then reads
 * the queue. So either the waiter sees the room, or the owner sees the waiter; and while the ring is full the
 * owner has a batch to finish, so it always comes to such a check.
 *
 * <p><b>Shutdown handshake, free per call.</b> {@link #close()} sets {@link #closed}, wakes every waiter (each
 * leaves with a rejection), claims a slot for STOP, records it in {@link #stopSequence} and publishes it. A
 * producer reads {@link #closed} before it claims and again after it publishes. If it saw the gate closed after
 * publishing, it waits for {@link #stopSequence} (the closer writes it right after its claim) and compares: a
 * call behind STOP is never run by the owner, so the producer rejects it itself and no future is handed out.
 * A call before STOP is run (or failed by {@code shutdownNow}). So every future handed out completes, and
 * nothing published after STOP is left waiting.
 */
final class ClaimGate
{
    private static final long NO_STOP = Long.MIN_VALUE;

    private final RingBuffer<CallEvent> ring;
    private final int capacity;
    private final long slack;
    private final long wakeMask;
    /** The room a woken producer should find: a quarter of the capacity, so each wake-up pays for many calls. */
    private final int wakeRoom;
    /** The producers' only gate: written by the owner thread alone (release stores), read in the ring's claim. */
    private final Sequence released = new Sequence();
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
    /** Set once by the closer (volatile store); read by producers before claiming and after publishing. */
    private volatile boolean closed;
    /** Written once by the closer right after it claimed STOP; read by producers that saw {@link #closed}. */
    private volatile long stopSequence = NO_STOP;
    /** Set by a close on the owner thread that found no room for STOP; owner thread only. */
    private boolean stopOwed;

    ClaimGate(final RingBuffer<CallEvent> ring, final int capacity)
    {
        this.ring = ring;
        this.capacity = capacity;
        this.slack = ring.getBufferSize() - capacity;
        this.wakeMask = Math.max(1, Long.highestOneBit(Math.max(1, capacity / 4))) - 1;
        this.wakeRoom = (int)(wakeMask + 1);
        ring.addGatingSequences(released);
        // Before any producer and before the owner runs: occupy the slack with no-op events, so the ring's claim
        // counts exactly `capacity` free places from the start.
        if (slack > 0)
        {
            final long last = ring.next((int)slack);
            for (long sequence = last - slack + 1; sequence <= last; sequence++)
            {
                ring.get(sequence).kind = CallEvent.NOOP;
            }
            ring.publish(last - slack + 1, last);
        }
        released.set(-1);
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * Any thread: calls of this ring the owner has finished (run, failed, shed or skipped). Reads {@link #released}
     * (a volatile load), which pairs with the owner's release store in {@link #release}; a gauge, not a gate.
     */
    long finishedCount()
    {
        return released.get() + 1;
    }

    /** The sequence of the first call. */
    long firstCallSequence()
    {
        return slack;
    }

    boolean isClosed()
    {
        return closed;
    }

    // ---- producers ---------------------------------------------------------------------------------

    /**
     * Claims {@code n} slots, waiting as long as needed.
     *
     * @return the highest sequence claimed.
     * @throws RejectedExecutionException when the gate is or becomes closed.
     * @throws InterruptedException       when interrupted while waiting; nothing was claimed.
     */
    long claim(final int n) throws InterruptedException
    {
        checkOpen();
        try
        {
            return ring.tryNext(n);
        }
        catch (final InsufficientCapacityException full)
        {
            return awaitRoom(n, 0, false);
        }
    }

    /**
     * Claims {@code n} slots, waiting at most {@code timeoutNanos}.
     *
     * @return the highest sequence claimed, or -1 when no room came in time (nothing was claimed).
     * @throws RejectedExecutionException when the gate is or becomes closed.
     * @throws InterruptedException       when interrupted while waiting; nothing was claimed.
     */
    long claim(final int n, final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        try
        {
            return ring.tryNext(n);
        }
        catch (final InsufficientCapacityException full)
        {
            return timeoutNanos <= 0 ? -1 : awaitRoom(n, System.nanoTime() + timeoutNanos, false);
        }
    }

    /**
     * @return the highest sequence claimed, or -1 when the ring has no room for {@code n} now.
     * @throws RejectedExecutionException when the gate is closed.
     */
    long tryClaim(final int n)
    {
        checkOpen();
        try
        {
            return ring.tryNext(n);
        }
        catch (final InsufficientCapacityException full)
        {
            return -1;
        }
    }

    /**
     * Publishes {@code [low, high]}, then completes the shutdown handshake.
     *
     * @throws RejectedExecutionException when the calls landed behind STOP: the owner will never run them,
     *                                    and the caller must not hand out their futures.
     */
    void publish(final long low, final long high)
    {
        ring.publish(low, high);
        if (closed && low > awaitStopSequence())
        {
            throw closedRejection();
        }
    }

    /**
     * The slow path: queue this thread and park until there is room. The closer's wait for a STOP slot comes
     * here too ({@code forStop}): it ignores the closed gate, and an interrupt only is remembered.
     *
     * @return the highest sequence claimed, or -1 when the deadline (when not 0) passed.
     */
    private long awaitRoom(final int n, final long deadline, final boolean forStop) throws InterruptedException
    {
        final Thread me = Thread.currentThread();
        boolean interruptedForStop = false;
        waiters.add(me);
        try
        {
            while (true)
            {
                if (!forStop)
                {
                    checkOpen();
                }
                try
                {
                    final long claimed = ring.tryNext(n);
                    wakeNextIfRoom(me, wakeRoom);
                    return claimed;
                }
                catch (final InsufficientCapacityException full)
                {
                    // Still full: sleep until the owner or another producer wakes us.
                }
                if (deadline == 0)
                {
                    LockSupport.park(this);
                }
                else
                {
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        return -1;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
                if (Thread.interrupted())
                {
                    if (!forStop)
                    {
                        throw new InterruptedException("interrupted while waiting for room in the ring (capacity " + capacity + ")");
                    }
                    interruptedForStop = true;
                }
            }
        }
        finally
        {
            waiters.remove(me);
            // A wake-up meant for this thread must not be lost when it leaves without using the room.
            wakeNextIfRoom(null, 1);
            if (interruptedForStop)
            {
                me.interrupt();
            }
        }
    }

    private void wakeNextIfRoom(final Thread self, final int room)
    {
        for (final Thread next : waiters)
        {
            if (next != self)
            {
                if (ring.hasAvailableCapacity(room))
                {
                    LockSupport.unpark(next);
                }
                return;
            }
        }
    }

    private long awaitStopSequence()
    {
        long stop;
        int spins = 0;
        while ((stop = stopSequence) == NO_STOP)
        {
            // The closer writes it right after its claim; that claim may itself wait for room.
            if (++spins < 100)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(10_000);
            }
        }
        return stop;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw closedRejection();
        }
    }

    static RejectedExecutionException closedRejection()
    {
        return new RejectedExecutionException("the plugin dispatcher is shut down and accepts no more calls");
    }

    // ---- owner thread --------------------------------------------------------------------------------

    /** Owner thread, after the call at {@code sequence} finished: its room is free again. */
    void release(final long sequence)
    {
        released.set(sequence - slack);
        if ((sequence & wakeMask) == 0 && !waiters.isEmpty() && ring.hasAvailableCapacity(wakeRoom))
        {
            wakeFirst();
        }
        if (stopOwed)
        {
            publishOwedStop();
        }
    }

    /** @return true when nothing was claimed after {@code sequence}: the ring is empty once it is done. */
    boolean isLastClaimed(final long sequence)
    {
        return ring.getCursor() == sequence;
    }

    /** Owner thread, at the end of each batch: the check that makes lost wake-ups impossible. */
    void endOfBatch()
    {
        // Pairs with the CAS by which a waiter queues itself: our stores of `released` before this fence are
        // visible to its re-check, or its queueing is visible to our read below.
        VarHandle.fullFence();
        if (!waiters.isEmpty())
        {
            wakeFirst();
        }
    }

    private void wakeFirst()
    {
        final Thread first = waiters.peek();
        if (first != null)
        {
            LockSupport.unpark(first);
        }
    }

    // ---- shutdown ----------------------------------------------------------------------------------

    /**
     * Shuts the gate: later claims are refused, waiting producers leave with a rejection, and one STOP event is
     * published behind every call accepted before. On the owner thread, which cannot wait for room, STOP goes in
     * as soon as the owner has freed a slot. A second close does nothing.
     *
     * @param onOwner true when called on the owner thread.
     */
    void close(final boolean onOwner)
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        for (final Thread waiter : waiters)
        {
            LockSupport.unpark(waiter);
        }
        if (onOwner)
        {
            stopOwed = true;
            publishOwedStop();
            return;
        }
        long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            try
            {
                sequence = awaitRoom(1, 0, true);
            }
            catch (final InterruptedException e)
            {
                throw new IllegalStateException("unreachable: the wait for a STOP slot keeps interrupts for later", e);
            }
        }
        publishStop(sequence);
    }

    private void publishOwedStop()
    {
        try
        {
            final long sequence = ring.tryNext();
            stopOwed = false;
            publishStop(sequence);
        }
        catch (final InsufficientCapacityException full)
        {
            // Still full: the next release tries again.
        }
    }

    private void publishStop(final long sequence)
    {
        stopSequence = sequence;
        ring.get(sequence).kind = CallEvent.STOP;
        ring.publish(sequence);
    }

    /** @return the STOP event's sequence, or -1 before close. */
    long stopSequence()
    {
        final long stop = stopSequence;
        return stop == NO_STOP ? -1 : stop;
    }
}
