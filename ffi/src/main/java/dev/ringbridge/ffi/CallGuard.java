package dev.ringbridge.ffi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the calls inside a plugin so that {@code close()} can wait for them before it calls
 * {@code plugin_shutdown}: the native side drops the instance's runtime under a call still in it.
 *
 * <p>One word holds a CLOSED bit and the number of callers inside. Callers {@link #enter()} and
 * {@link #exit()} with one atomic add each (no lock); {@link #close()} sets the bit, after which
 * every enter fails, and then waits for the count to drain. Any thread may call any method.
 */
final class CallGuard
{
    private static final long CLOSED = 1L << 62;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(CallGuard.class, "state", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** CLOSED bit plus callers inside; changed only through STATE's atomic (volatile) operations. */
    @SuppressWarnings("unused")
    private volatile long state;

    /**
     * Returns true when the caller may go in and must {@link #exit()} later; false once closed.
     *
     * @return true when the caller may go in and must {@link #exit()} later; false once closed.
     */
    boolean enter()
    {
        final long previous = (long)STATE.getAndAdd(this, 1L);
        if ((previous & CLOSED) != 0)
        {
            STATE.getAndAdd(this, -1L);
            return false;
        }
        return true;
    }

    void exit()
    {
        STATE.getAndAdd(this, -1L);
    }

    boolean isClosed()
    {
        return (state & CLOSED) != 0;
    }

    /**
     * Refuses new callers, then waits until the callers inside have left.
     *
     * @return true for the one call that closed the guard, false if it was closed already.
     */
    boolean close()
    {
        final long previous = (long)STATE.getAndBitwiseOr(this, CLOSED);
        if ((previous & CLOSED) != 0)
        {
            return false;
        }
        // Plugin calls may take long (a sleep handler): back off from spinning to short parks.
        int spins = 0;
        while ((state & ~CLOSED) != 0)
        {
            if (++spins < 100)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(50_000);
            }
        }
        return true;
    }
}
