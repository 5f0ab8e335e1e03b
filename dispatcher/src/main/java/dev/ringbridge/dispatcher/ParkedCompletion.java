package dev.ringbridge.dispatcher;

import java.util.concurrent.locks.LockSupport;

/**
 * A reusable completion for blocking calls that write into the caller's own buffers: one per caller
 * thread, so such a call allocates nothing in steady state (no future, no boxed length).
 *
 * <p>Once its call is published the caller must wait for it to finish, even when interrupted: the
 * owner thread will still write into the caller's response buffer. The interrupt is restored after.
 *
 * <p><b>Threads.</b> The caller resets and awaits; the owner thread completes. The owner's writes of
 * {@code length} / {@code failure} happen before its volatile store of {@code state}, which the
 * caller's volatile load of {@code state} pairs with.
 */
final class ParkedCompletion implements Completion
{
    private static final int PENDING = 0;
    private static final int DONE = 1;

    private static final ThreadLocal<ParkedCompletion> PER_THREAD = ThreadLocal.withInitial(ParkedCompletion::new);

    private final Thread waiter = Thread.currentThread();
    private long length;
    private Throwable failure;
    private volatile int state = DONE;

    /** @return the calling thread's completion, ready for a new call. */
    static ParkedCompletion forCurrentThread()
    {
        final ParkedCompletion completion = PER_THREAD.get();
        completion.failure = null;
        completion.state = PENDING;
        return completion;
    }

    @Override
    public void succeed(final Object result)
    {
        succeed(((Long)result).longValue());
    }

    @Override
    public void succeed(final long length)
    {
        this.length = length;
        state = DONE;
        LockSupport.unpark(waiter);
    }

    @Override
    public void fail(final Throwable failure)
    {
        this.failure = failure;
        state = DONE;
        LockSupport.unpark(waiter);
    }

    /**
     * Spins up to {@code spinNanos} (not on virtual threads), then parks until done.
     *
     * @return the length written.
     * @throws Throwable the call's failure, as it is.
     */
    long await(final long spinNanos) throws Throwable
    {
        if (spinNanos > 0 && !waiter.isVirtual())
        {
            final long deadline = System.nanoTime() + spinNanos;
            int spins = 0;
            while (state == PENDING && System.nanoTime() - deadline < 0)
            {
                CallerSpin.pause(++spins);
            }
        }
        boolean interrupted = false;
        while (state == PENDING)
        {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        if (failure != null)
        {
            throw failure;
        }
        return length;
    }
}
