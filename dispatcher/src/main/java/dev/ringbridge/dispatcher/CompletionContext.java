package dev.ringbridge.dispatcher;

import java.util.concurrent.Executor;

/**
 * What every future of one dispatcher needs to know about it, shared so a future holds one reference:
 * the owner thread (a blocking wait there would wait for itself), how long a waiting caller spins before
 * it parks, and where dependent stages run.
 *
 * @param owner              the dispatcher's owner thread.
 * @param callerSpinNanos    how long a caller spins for its result before parking (never on virtual threads).
 * @param completionExecutor where dependent stages run instead of the owner thread; null for the owner.
 */
record CompletionContext(Thread owner, long callerSpinNanos, Executor completionExecutor)
{
    void checkNotOwner()
    {
        if (Thread.currentThread() == owner)
        {
            throw new IllegalStateException("a blocking ringbridge call on the dispatcher's own thread \"" + owner.getName()
                + "\" would wait for itself; use submit(...) and chain the result instead,"
                + " or configure a completion executor for slow callbacks");
        }
    }

    /**
     * Spins while {@code done} says no, up to the caller spin (not on virtual threads, whose carriers are
     * shared): a short pure spin, then yields, because an owner thread sharing this core could not otherwise
     * run the very call waited for.
     *
     * @return true when done within the spin.
     */
    boolean spinUntil(final Done done)
    {
        if (done.isDone())
        {
            return true;
        }
        if (callerSpinNanos <= 0 || Thread.currentThread().isVirtual())
        {
            return false;
        }
        final long deadline = System.nanoTime() + callerSpinNanos;
        int spins = 0;
        while (!done.isDone())
        {
            if (++spins < SPINS_BEFORE_YIELD)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
                if (System.nanoTime() - deadline > 0)
                {
                    return done.isDone();
                }
            }
        }
        return true;
    }

    private static final int SPINS_BEFORE_YIELD = 64;

    /** A completion state that a waiting caller polls. */
    interface Done
    {
        boolean isDone();
    }
}
