package dev.ringbridge.dispatcher;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PluginPool} replaces an instance that panicked: at most {@code maxRestarts} restarts of one slot within
 * a sliding {@code window}, the first at once and each further one after an exponentially growing backoff
 * ({@code initialBackoff}, twice that, ... up to {@code maxBackoff}). A slot whose failure would exceed the budget is
 * marked {@link SlotState#DEAD} and routed around. Immutable.
 */
public final class RestartPolicy
{
    private static final RestartPolicy DEFAULTS = new RestartPolicy(5, Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofSeconds(1));

    private final int maxRestarts;
    private final Duration window;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private RestartPolicy(final int maxRestarts, final Duration window, final Duration initialBackoff, final Duration maxBackoff)
    {
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * Returns the default policy: 5 restarts per minute, backoff from 10 ms doubling up to 1 s.
     *
     * @return the default policy.
     */
    public static RestartPolicy defaults()
    {
        return DEFAULTS;
    }

    /**
     * Returns a policy that never restarts: a slot whose instance panics is dead.
     *
     * @return a policy that never restarts.
     */
    public static RestartPolicy never()
    {
        return new RestartPolicy(0, DEFAULTS.window, DEFAULTS.initialBackoff, DEFAULTS.maxBackoff);
    }

    /**
     * Returns a policy with that budget and the default backoff.
     *
     * @param maxRestarts the most restarts of one slot within {@code window}; zero or more.
     * @param window      the sliding window the budget counts over; positive.
     * @return a policy with that budget.
     */
    public static RestartPolicy of(final int maxRestarts, final Duration window)
    {
        if (maxRestarts < 0)
        {
            throw new IllegalArgumentException("maxRestarts must not be negative, was " + maxRestarts);
        }
        return new RestartPolicy(maxRestarts, positive(window, "window"), DEFAULTS.initialBackoff, DEFAULTS.maxBackoff);
    }

    /**
     * Returns a copy of this policy with that backoff.
     *
     * @param initial the wait before the second restart within the window; zero or more (the first is immediate).
     * @param max     the longest wait; at least {@code initial}.
     * @return a copy of this policy with that backoff.
     */
    public RestartPolicy withBackoff(final Duration initial, final Duration max)
    {
        Objects.requireNonNull(initial, "initial backoff must not be null");
        Objects.requireNonNull(max, "max backoff must not be null");
        if (initial.isNegative() || max.compareTo(initial) < 0)
        {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max, was " + initial + " and " + max);
        }
        return new RestartPolicy(maxRestarts, window, initial, max);
    }

    /**
     * Returns the most restarts of one slot within the window.
     *
     * @return the most restarts of one slot within the window.
     */
    public int maxRestarts()
    {
        return maxRestarts;
    }

    /**
     * Returns the sliding window the budget counts over.
     *
     * @return the sliding window the budget counts over.
     */
    public Duration window()
    {
        return window;
    }

    /** The wait before a restart, given how many restarts the window already holds (0 for the first: at once). */
    long backoffNanos(final int restartsInWindow)
    {
        if (restartsInWindow == 0)
        {
            return 0;
        }
        final int doublings = Math.min(restartsInWindow - 1, 62);
        final long initial = initialBackoff.toNanos();
        final long max = maxBackoff.toNanos();
        return initial > (max >> doublings) ? max : Math.min(max, initial << doublings);
    }

    private static Duration positive(final Duration duration, final String name)
    {
        Objects.requireNonNull(duration, name + " must not be null");
        if (duration.isNegative() || duration.isZero())
        {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }

    @Override
    public String toString()
    {
        return "RestartPolicy[" + maxRestarts + " restarts per " + window + ", backoff " + initialBackoff + " to " + maxBackoff + "]";
    }
}
