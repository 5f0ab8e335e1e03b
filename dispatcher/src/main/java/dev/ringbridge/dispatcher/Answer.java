package dev.ringbridge.dispatcher;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The receiving end of one call as the owner thread fills it and a caller waits for it: the plugin's undecoded
 * answer (or a host-side failure), and the hand-shake that wakes a parked caller. {@link BlockingCall} and
 * {@link CallFuture} add how they are reused, cancelled and decoded.
 *
 * <p><b>Memory ordering.</b> The owner writes {@link #code}, {@link #body} and {@link #failure}, then moves
 * {@link #state} to DONE with a CAS (a release); a caller reads {@code state} (volatile, an acquire) and, once it
 * sees DONE, the answer. A caller that is about to park stores itself in {@link #waiter} and then CASes
 * {@code state} from PENDING to PARKED; the owner's CAS to DONE returns PARKED only after that, so it reads the
 * right waiter and unparks it. A caller still spinning costs the owner no unpark. Only one thread parks here at a
 * time; another one learns so from {@link #parkOnce} and waits elsewhere.
 */
abstract class Answer extends Completion implements CompletionContext.Done
{
    static final int PENDING = 0;
    static final int PARKED = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;
    /** What {@link #parkOnce} returns when another thread is the one parked here. */
    static final int OTHER_WAITER = -1;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(Answer.class, "state", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The answer: written by the owner thread before its CAS of state to DONE; read after state reads DONE.
    int code;
    byte[] body;
    Throwable failure;
    /** PENDING, PARKED (one caller sleeps in {@link #waiter}), DONE or CANCELLED. */
    private volatile int state;
    /** The one thread parked here, written by it before its CAS of state to PARKED. */
    private Thread waiter;

    @Override
    final void deliver(final int code, final byte[] body)
    {
        this.code = code;
        this.body = body;
        done();
    }

    @Override
    final void fail(final Throwable failure)
    {
        this.failure = failure;
        done();
    }

    @Override
    public boolean isDone()
    {
        return state >= DONE;
    }

    /** Any thread; the owner reads it before each call (volatile, pairs with the CAS in {@code settle}). */
    @Override
    public final boolean isCancelled()
    {
        return state == CANCELLED;
    }

    final int answerState()
    {
        return state;
    }

    /** Caller thread, before publishing a reused answer: no owner thread holds it now. */
    final void reset()
    {
        body = null;
        failure = null;
        state = PENDING;
    }

    /** Owner thread: the answer is in. A cancelled answer is dropped. */
    final void done()
    {
        if (settle(DONE))
        {
            onDone();
        }
    }

    /** Owner thread, after the answer became visible; not after a cancellation. */
    void onDone()
    {
    }

    /** Any thread: ends the wait without an answer. @return true when this call cancelled it. */
    final boolean cancelAnswer()
    {
        return settle(CANCELLED);
    }

    private boolean settle(final int outcome)
    {
        int current = state;
        while (current < DONE)
        {
            if (STATE.compareAndSet(this, current, outcome))
            {
                if (current == PARKED)
                {
                    LockSupport.unpark(waiter);
                }
                return true;
            }
            current = state;
        }
        return false;
    }

    /**
     * Parks the calling thread once, unless the answer is already settled.
     *
     * @param deadline {@link System#nanoTime()} to wake up at the latest, or 0 for no deadline.
     * @return the state after waking up (park may return early: callers loop), or {@link #OTHER_WAITER}.
     */
    final int parkOnce(final long deadline)
    {
        final Thread me = Thread.currentThread();
        int current = state;
        if (current == PENDING)
        {
            waiter = me;
            if (!STATE.compareAndSet(this, PENDING, PARKED))
            {
                return state;
            }
        }
        else if (current == PARKED && waiter != me)
        {
            return OTHER_WAITER;
        }
        else if (current >= DONE)
        {
            return current;
        }
        if (deadline == 0)
        {
            LockSupport.park(this);
        }
        else
        {
            LockSupport.parkNanos(this, deadline - System.nanoTime());
        }
        return state;
    }
}
