package dev.ringbridge.dispatcher;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * A call's deadline passed before the dispatcher's owner thread reached it, so the plugin was never called.
 * A {@link TimeoutException}, so code that handles a blocking call's timeout handles this too.
 *
 * <p>The owner thread creates it on an overloaded dispatcher, where shedding must stay cheap: it has no stack
 * trace (the owner's stack says nothing about the caller) and its message is built only when read.
 */
public final class DeadlineExceededException extends TimeoutException
{
    private static final long serialVersionUID = 1L;

    /** The deadline as time after submit. */
    private final long timeoutNanos;
    /** How long ago the deadline passed when the owner reached the call. */
    private final long lateNanos;

    /**
     * A deadline that passed before the owner thread reached the call.
     *
     * @param timeoutNanos the deadline as time after submit.
     * @param lateNanos    how long ago it passed when the owner reached the call.
     */
    DeadlineExceededException(final long timeoutNanos, final long lateNanos)
    {
        this.timeoutNanos = timeoutNanos;
        this.lateNanos = lateNanos;
    }

    /**
     * Returns the call's deadline as time after its submit (an absolute deadline as it stood at submit).
     *
     * @return the call's deadline as time after its submit (an absolute deadline as it stood at submit).
     */
    public Duration timeout()
    {
        return Duration.ofNanos(timeoutNanos);
    }

    /**
     * Returns how long the deadline had passed when the owner thread reached the call. The owner judges by its
     * last clock reading, which may be slightly early, so the figure may be slightly low, never high.
     *
     * @return how long the deadline had passed when the owner thread reached the call. The owner judges by its
     *         last clock reading, which may be slightly early, so the figure may be slightly low, never high.
     */
    public Duration lateBy()
    {
        return Duration.ofNanos(lateNanos);
    }

    @Override
    public String getMessage()
    {
        return String.format(Locale.ROOT, "the call's deadline, %.3f ms after its submit, had passed %.3f ms before the"
            + " dispatcher's owner thread reached it; the plugin was not called", timeoutNanos / 1e6, lateNanos / 1e6);
    }

    /** No stack trace: the owner thread's stack says nothing about the call, and filling it would slow shedding. */
    @Override
    public synchronized Throwable fillInStackTrace()
    {
        return this;
    }
}
