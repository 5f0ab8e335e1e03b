package dev.ringbridge.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one call is to be run, apart from what it is ({@link CallType}) and what it carries (the request): its
 * deadline and its {@link Lane}. Immutable and reusable: keep one in a constant, as for a {@code CallType}; a timeout counts from
 * each submit, not from the options' creation.
 *
 * <p><b>Deadlines.</b> When the dispatcher's owner thread reaches a call whose deadline has passed, it completes
 * the call with a {@link DeadlineExceededException} without entering the plugin. A call that started before its
 * deadline runs to its end (native code cannot be interrupted). Options without a deadline take the builder's
 * {@link DispatcherBuilder#defaultTimeout(Duration) default timeout}, if any; {@link #noDeadline()} opts out of it.
 *
 * <p><b>Lanes.</b> A call goes to the {@link Lane#NORMAL} lane unless its options say {@link Lane#HIGH}, which the
 * dispatcher must have been built with ({@link DispatcherBuilder#highLane}).
 *
 * <p>New kinds of options are added as further {@code with...} methods, so code written against this class keeps
 * compiling.
 */
public final class CallOptions
{
    /** {@link #budgetNanos} of a call without a deadline. */
    static final long NO_BUDGET = Long.MIN_VALUE;
    private static final long UNSET = -1;
    private static final long NONE = -2;

    private static final CallOptions DEFAULTS = new CallOptions(UNSET, null, Lane.NORMAL);
    private static final CallOptions NO_DEADLINE = new CallOptions(NONE, null, Lane.NORMAL);

    /** A relative deadline in nanoseconds from submit, or UNSET (take the default) or NONE (opted out). */
    private final long timeoutNanos;
    /** An absolute deadline, or null; exclusive with a timeout. */
    private final Instant deadline;
    private final Lane lane;

    private CallOptions(final long timeoutNanos, final Instant deadline, final Lane lane)
    {
        this.timeoutNanos = timeoutNanos;
        this.deadline = deadline;
        this.lane = lane;
    }

    /**
     * Returns options that set nothing: the dispatcher's defaults apply.
     *
     * @return options that set nothing: the dispatcher's defaults apply.
     */
    public static CallOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * Returns options without a deadline, even when the dispatcher has a default timeout.
     *
     * @return options without a deadline, even when the dispatcher has a default timeout.
     */
    public static CallOptions noDeadline()
    {
        return NO_DEADLINE;
    }

    /**
     * Returns options with that deadline.
     *
     * @param timeout how long after its submit a call may still be started; positive.
     * @return options with that deadline.
     */
    public static CallOptions timeout(final Duration timeout)
    {
        return DEFAULTS.withTimeout(timeout);
    }

    /**
     * Returns options with that deadline.
     *
     * @param deadline the instant after which a call is no longer started.
     * @return options with that deadline.
     */
    public static CallOptions deadline(final Instant deadline)
    {
        return DEFAULTS.withDeadline(deadline);
    }

    /**
     * Returns a copy of these options with that deadline.
     *
     * @param timeout how long after its submit a call may still be started; positive. Replaces any deadline.
     * @return a copy of these options with that deadline.
     */
    public CallOptions withTimeout(final Duration timeout)
    {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new CallOptions(saturatedNanos(timeout), null, lane);
    }

    /**
     * Returns a copy of these options with that deadline.
     *
     * @param deadline the instant after which a call is no longer started. Replaces any timeout.
     * @return a copy of these options with that deadline.
     */
    public CallOptions withDeadline(final Instant deadline)
    {
        return new CallOptions(UNSET, Objects.requireNonNull(deadline, "deadline must not be null"), lane);
    }

    /**
     * Returns a copy of these options with that lane.
     *
     * @param lane the lane the call queues in.
     * @return a copy of these options with that lane.
     */
    public CallOptions withLane(final Lane lane)
    {
        return new CallOptions(timeoutNanos, deadline, Objects.requireNonNull(lane, "lane must not be null"));
    }

    /**
     * Returns the lane the call queues in ({@link Lane#NORMAL} unless set).
     *
     * @return the lane the call queues in ({@link Lane#NORMAL} unless set).
     */
    public Lane lane()
    {
        return lane;
    }

    /**
     * Returns the time from submit after which a call is no longer started, if these options set one.
     *
     * @return the time from submit after which a call is no longer started, if these options set one.
     */
    public Optional<Duration> timeout()
    {
        return timeoutNanos >= 0 ? Optional.of(Duration.ofNanos(timeoutNanos)) : Optional.empty();
    }

    /**
     * Returns the instant after which a call is no longer started, if these options set one.
     *
     * @return the instant after which a call is no longer started, if these options set one.
     */
    public Optional<Instant> deadline()
    {
        return Optional.ofNullable(deadline);
    }

    /**
     * Caller thread, at submit: the time left until this call's deadline.
     *
     * @param fallback the dispatcher's default, for options that set no deadline.
     * @return nanoseconds from now (zero or negative when already passed), or {@link #NO_BUDGET}.
     */
    long budgetNanos(final CallOptions fallback)
    {
        if (timeoutNanos >= 0)
        {
            return timeoutNanos;
        }
        if (deadline != null)
        {
            return saturatedNanos(Duration.between(Instant.now(), deadline));
        }
        return timeoutNanos == UNSET && fallback != null ? fallback.budgetNanos(null) : NO_BUDGET;
    }

    private static long saturatedNanos(final Duration duration)
    {
        try
        {
            return duration.toNanos();
        }
        catch (final ArithmeticException tooLong)
        {
            return duration.isNegative() ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
        }
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof CallOptions that && timeoutNanos == that.timeoutNanos && Objects.equals(deadline, that.deadline)
            && lane == that.lane;
    }

    @Override
    public int hashCode()
    {
        return (Long.hashCode(timeoutNanos) * 31 + Objects.hashCode(deadline)) * 31 + lane.hashCode();
    }

    @Override
    public String toString()
    {
        final String when;
        if (timeoutNanos >= 0)
        {
            when = "timeout " + Duration.ofNanos(timeoutNanos);
        }
        else if (deadline != null)
        {
            when = "deadline " + deadline;
        }
        else
        {
            when = timeoutNanos == NONE ? "no deadline" : "default deadline";
        }
        return "CallOptions[" + when + ", " + lane + " lane]";
    }
}
