package dev.ringbridge.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * How one call is to be run, apart from what it is ({@link CallType}) and what it carries (the request): its
 * deadline, its {@link Lane}, and in a {@link PluginPool} its routing key and whether it may be retried. Immutable and reusable: keep one in a constant, as for a {@code CallType}; a timeout counts from
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
 * <p><b>Keys and retries (pools).</b> In a {@link PluginPool}, calls with the same key ({@link #withKey(long)},
 * {@link #withKey(String)}, {@link #withKey(byte[])}) all go to the same instance, in the order they were submitted
 * from one thread; calls without a key go wherever there is least to wait for. An {@link #idempotent()} call queued
 * on an instance that panicked is run once more on the instance that replaces it. A single dispatcher has one
 * instance: it ignores both.
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

    private static final CallOptions DEFAULTS = new CallOptions(UNSET, null, Lane.NORMAL, false, 0, false);
    private static final CallOptions NO_DEADLINE = new CallOptions(NONE, null, Lane.NORMAL, false, 0, false);

    /** A relative deadline in nanoseconds from submit, or UNSET (take the default) or NONE (opted out). */
    private final long timeoutNanos;
    /** An absolute deadline, or null; exclusive with a timeout. */
    private final Instant deadline;
    private final Lane lane;
    private final boolean keyed;
    /** The key's spread hash; meaningful only when {@link #keyed}. */
    private final long keyHash;
    private final boolean idempotent;

    private CallOptions(final long timeoutNanos, final Instant deadline, final Lane lane, final boolean keyed, final long keyHash,
        final boolean idempotent)
    {
        this.timeoutNanos = timeoutNanos;
        this.deadline = deadline;
        this.lane = lane;
        this.keyed = keyed;
        this.keyHash = keyHash;
        this.idempotent = idempotent;
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
        return new CallOptions(saturatedNanos(timeout), null, lane, keyed, keyHash, idempotent);
    }

    /**
     * Returns a copy of these options with that deadline.
     *
     * @param deadline the instant after which a call is no longer started. Replaces any timeout.
     * @return a copy of these options with that deadline.
     */
    public CallOptions withDeadline(final Instant deadline)
    {
        return new CallOptions(UNSET, Objects.requireNonNull(deadline, "deadline must not be null"), lane, keyed, keyHash, idempotent);
    }

    /**
     * Returns a copy of these options with that lane.
     *
     * @param lane the lane the call queues in.
     * @return a copy of these options with that lane.
     */
    public CallOptions withLane(final Lane lane)
    {
        return new CallOptions(timeoutNanos, deadline, Objects.requireNonNull(lane, "lane must not be null"), keyed, keyHash,
            idempotent);
    }

    /**
     * Returns a copy of these options with that routing key: in a {@link PluginPool}, every call with an equal key goes
     * to the same instance.
     *
     * @param key the key.
     * @return a copy of these options with that routing key.
     */
    public CallOptions withKey(final long key)
    {
        return new CallOptions(timeoutNanos, deadline, lane, true, spread(key), idempotent);
    }

    /**
     * Returns a copy of these options with that routing key (by its {@link String#hashCode()}).
     *
     * @param key the key.
     * @return a copy of these options with that routing key.
     */
    public CallOptions withKey(final String key)
    {
        return withKey(Objects.requireNonNull(key, "key must not be null").hashCode());
    }

    /**
     * Returns a copy of these options with that routing key (by its content, {@link Arrays#hashCode(byte[])}).
     *
     * @param key the key; not kept.
     * @return a copy of these options with that routing key.
     */
    public CallOptions withKey(final byte[] key)
    {
        return withKey(Arrays.hashCode(Objects.requireNonNull(key, "key must not be null")));
    }

    /**
     * Returns a copy of these options for a call that may run twice: in a {@link PluginPool}, if it was queued on an
     * instance that panicked before it ran, it is run once more on the replacement instead of failing.
     *
     * @return a copy of these options for a call that may run twice.
     */
    public CallOptions withIdempotent()
    {
        return new CallOptions(timeoutNanos, deadline, lane, keyed, keyHash, true);
    }

    /**
     * Returns true when the call may run twice ({@link #withIdempotent()}).
     *
     * @return true when the call may run twice.
     */
    public boolean idempotent()
    {
        return idempotent;
    }

    /**
     * Returns true when a routing key is set.
     *
     * @return true when a routing key is set.
     */
    public boolean hasKey()
    {
        return keyed;
    }

    /** The key's hash, spread over all 64 bits so that keys differing only in high or low bits split evenly. */
    long keyHash()
    {
        return keyHash;
    }

    /** The finalizer of MurmurHash3's 64-bit variant: every input bit affects every output bit. */
    private static long spread(final long key)
    {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
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
            && lane == that.lane && keyed == that.keyed && keyHash == that.keyHash && idempotent == that.idempotent;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(timeoutNanos, deadline, lane, keyed, keyHash, idempotent);
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
        return "CallOptions[" + when + ", " + lane + " lane" + (keyed ? ", keyed" : "") + (idempotent ? ", idempotent" : "") + "]";
    }
}
