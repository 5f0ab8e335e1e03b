package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.Responses;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The completion of a blocking call: one per caller thread, reused call after call, so a blocking call
 * allocates no future. The caller decodes the answer itself after it wakes.
 *
 * <p><b>Threads.</b> The caller {@link #forCurrentThread() takes} it, publishes one call, and waits; the owner
 * thread completes it (see {@link Answer} for the hand-shake).
 *
 * <p>A caller that gives up on a call still in flight (interrupt, timeout) {@link #abandon() abandons} this
 * object: it cancels it, so the owner skips the call if it has not started, and since the owner may still write
 * into it the thread takes a fresh one for its next call. A call into the caller's own response segment is never
 * abandoned: the owner writes into that segment.
 */
final class BlockingCall extends Answer
{
    private static final ThreadLocal<BlockingCall> PER_THREAD = ThreadLocal.withInitial(BlockingCall::new);

    /** Written by the owner thread before it settles the answer, like the answer itself. */
    private long length;

    /** @return the calling thread's completion, ready for a new call. */
    static BlockingCall forCurrentThread()
    {
        final BlockingCall call = PER_THREAD.get();
        call.reset();
        return call;
    }

    @Override
    void deliverLength(final long length)
    {
        this.code = 0;
        this.length = length;
        done();
    }

    /**
     * The caller gives up on the call in flight: the owner skips it if it has not started (it reads the state
     * before each call), and this thread uses a fresh completion from now on.
     */
    void abandon()
    {
        cancelAnswer();
        PER_THREAD.remove();
    }

    /**
     * Waits for the answer and decodes it on this thread.
     *
     * @throws InterruptedException when interrupted; the call was abandoned (skipped if it has not started).
     */
    <R> R await(final CallType<?, R> type, final CompletionContext context) throws PluginException, InterruptedException
    {
        if (!context.spinUntil(this))
        {
            while (parkOnce(0) < DONE)
            {
                if (Thread.interrupted())
                {
                    abandon();
                    throw new InterruptedException("interrupted while waiting for a " + type + " call; it is skipped if it has not started");
                }
            }
        }
        return decode(type);
    }

    /**
     * Waits at most {@code timeoutNanos} for the answer.
     *
     * @throws TimeoutException when it did not come (the call was abandoned: skipped if not started), or when the
     *                          owner shed the call at its deadline ({@link DeadlineExceededException}).
     */
    <R> R await(final CallType<?, R> type, final CompletionContext context, final long timeoutNanos)
        throws PluginException, InterruptedException, TimeoutException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        if (!context.spinUntil(this))
        {
            while (parkOnce(deadline) < DONE)
            {
                if (Thread.interrupted())
                {
                    abandon();
                    throw new InterruptedException("interrupted while waiting for a " + type + " call; it is skipped if it has not started");
                }
                if (deadline - System.nanoTime() <= 0)
                {
                    abandon();
                    throw new TimeoutException("no answer to a " + type + " call within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; it is skipped if it has not started");
                }
            }
        }
        if (failure instanceof DeadlineExceededException shed)
        {
            throw shed;
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
            while (parkOnce(0) < DONE)
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

    private <R> R decode(final CallType<?, R> type) throws PluginException
    {
        if (failure != null)
        {
            throw rethrow(failure);
        }
        return type.decode(code, body);
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
