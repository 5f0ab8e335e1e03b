package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.Responses;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The completion of a blocking call: one per caller thread, reused call after call, so a blocking call
 * allocates no future. The caller decodes the answer itself after it wakes.
 *
 * <p><b>Threads.</b> The caller {@link #forCurrentThread() takes} it, publishes one call, and waits; the
 * owner thread completes it. The owner writes the answer fields, then moves {@code state} to DONE with a
 * CAS (release), which the caller's volatile read of {@code state} (acquire) pairs with. A caller that
 * parks first moves {@code state} to PARKED with a CAS; only then does the owner unpark it, so a call
 * whose caller is still spinning costs the owner no unpark.
 *
 * <p>A caller that gives up on a call still in flight (interrupt, timeout) {@link #abandon() abandons}
 * this object: the owner thread will still write into it, so the thread takes a fresh one for its next
 * call. A call into the caller's own response segment is never abandoned: the owner writes into that segment.
 */
final class BlockingCall implements Completion, CompletionContext.Done
{
    private static final int PENDING = 0;
    private static final int PARKED = 1;
    private static final int DONE = 2;
    private static final VarHandle STATE;
    private static final ThreadLocal<BlockingCall> PER_THREAD = ThreadLocal.withInitial(BlockingCall::new);

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(BlockingCall.class, "state", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread waiter = Thread.currentThread();
    // Written by the owner thread before its CAS of state to DONE; read by the waiter after it sees DONE.
    private int code;
    private byte[] body;
    private long length;
    private Throwable failure;
    private volatile int state = DONE;

    /** @return the calling thread's completion, ready for a new call. */
    static BlockingCall forCurrentThread()
    {
        final BlockingCall call = PER_THREAD.get();
        call.body = null;
        call.failure = null;
        call.state = PENDING;
        return call;
    }

    @Override
    public void deliver(final int code, final byte[] body)
    {
        this.code = code;
        this.body = body;
        done();
    }

    @Override
    public void deliverLength(final long length)
    {
        this.code = 0;
        this.length = length;
        done();
    }

    @Override
    public void fail(final Throwable failure)
    {
        this.failure = failure;
        done();
    }

    @Override
    public boolean isDone()
    {
        return state == DONE;
    }

    /** The caller gives up on the call in flight: its thread uses a fresh completion from now on. */
    void abandon()
    {
        PER_THREAD.remove();
    }

    /**
     * Waits for the answer and decodes it on this thread.
     *
     * @throws InterruptedException when interrupted; the call was abandoned (it may still run).
     */
    <R> R await(final CallType<?, R> type, final CompletionContext context) throws PluginException, InterruptedException
    {
        if (!context.spinUntil(this))
        {
            while (!parkUntilDone(0))
            {
                if (Thread.interrupted())
                {
                    abandon();
                    throw new InterruptedException("interrupted while waiting for a " + type + " call; the call may still run");
                }
            }
        }
        return decode(type);
    }

    /**
     * Waits at most {@code timeoutNanos} for the answer.
     *
     * @throws TimeoutException when it did not come; the call was abandoned (it may still run).
     */
    <R> R await(final CallType<?, R> type, final CompletionContext context, final long timeoutNanos)
        throws PluginException, InterruptedException, TimeoutException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        if (!context.spinUntil(this))
        {
            while (!parkUntilDone(deadline))
            {
                if (Thread.interrupted())
                {
                    abandon();
                    throw new InterruptedException("interrupted while waiting for a " + type + " call; the call may still run");
                }
                if (deadline - System.nanoTime() <= 0)
                {
                    abandon();
                    throw new TimeoutException("no answer to a " + type + " call within "
                        + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the call itself still runs");
                }
            }
        }
        return decode(type);
    }

    /**
     * Waits for a call into the caller's own response segment: uninterruptibly, because the owner thread
     * will write into that segment; the interrupt is kept.
     *
     * @return the response length.
     */
    long awaitLength(final CompletionContext context) throws PluginException
    {
        if (!context.spinUntil(this))
        {
            boolean interrupted = false;
            while (!parkUntilDone(0))
            {
                interrupted |= Thread.interrupted();
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null)
        {
            throw rethrow(failure);
        }
        if (body != null)
        {
            throw Responses.failure(code, body, body.length, true);
        }
        return length;
    }

    /** Parks once (until {@code deadline} when not 0). @return true when done. */
    private boolean parkUntilDone(final long deadline)
    {
        if (state == PENDING)
        {
            STATE.compareAndSet(this, PENDING, PARKED);
        }
        if (state == DONE)
        {
            return true;
        }
        if (deadline == 0)
        {
            LockSupport.park(this);
        }
        else
        {
            LockSupport.parkNanos(this, deadline - System.nanoTime());
        }
        return state == DONE;
    }

    private <R> R decode(final CallType<?, R> type) throws PluginException
    {
        if (failure != null)
        {
            throw rethrow(failure);
        }
        return type.decode(code, body);
    }

    private void done()
    {
        // Owner thread. The CAS publishes the fields above; PARKED means the waiter sleeps and needs an unpark.
        if ((int)STATE.getAndSet(this, DONE) == PARKED)
        {
            LockSupport.unpark(waiter);
        }
    }

    /** A host-side failure as the caller sees it: a PluginException as it is, unchecked ones as they are. */
    static PluginException rethrow(final Throwable failure)
    {
        if (failure instanceof PluginException plugin)
        {
            return plugin;
        }
        if (failure instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (failure instanceof Error error)
        {
            throw error;
        }
        throw new IllegalStateException("plugin call failed", failure);
    }
}
