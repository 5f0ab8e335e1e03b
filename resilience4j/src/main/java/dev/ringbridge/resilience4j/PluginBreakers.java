package dev.ringbridge.resilience4j;

import dev.ringbridge.dispatcher.DeadlineExceededException;
import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.PluginException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * Resilience4j circuit-breaker configurations keyed on a plugin's outcomes: which of the plugin's error codes
 * count as failures, and how long a call may take before it counts as slow.
 *
 * <p>Only a {@link PluginException} of a chosen {@link ErrorKind} is recorded as a failure. What the caller or the
 * dispatcher decided (a cancelled call, a call shed at its deadline, a call refused at shutdown, an interrupted
 * wait) is ignored: it says nothing about the plugin's health. Everything else is Resilience4j's own default, and
 * the returned builder may change any of it.
 */
public final class PluginBreakers
{
    /**
     * The kinds that say the plugin, not its caller, is in trouble: a handler or runtime error, a timeout inside
     * the plugin, a panic (INTERNAL), an FFI error, overload, and a plugin no longer active (INVALID_STATE, as
     * after a panic). Not the caller's mistakes (a bad request, an unknown message type, a bad configuration).
     */
    public static final Set<ErrorKind> PLUGIN_FAULTS = Set.copyOf(EnumSet.of(ErrorKind.INVALID_STATE, ErrorKind.HANDLER_ERROR,
        ErrorKind.RUNTIME_ERROR, ErrorKind.TIMEOUT, ErrorKind.INTERNAL, ErrorKind.FFI_ERROR, ErrorKind.TOO_MANY_REQUESTS));

    private PluginBreakers()
    {
    }

    /**
     * @param failures     the plugin error kinds that count as failures, for example {@link #PLUGIN_FAULTS}.
     * @param slowCallTime a call that takes longer, from the breaker's permission to its result (queue wait
     *                     included), counts as slow.
     * @return a builder with those rules, Resilience4j's defaults for the rest (failure and slow-call rate 50%,
     *         a count window of 100 calls, 60 s open, 10 half-open probes), to adjust and build.
     */
    public static CircuitBreakerConfig.Builder config(final Set<ErrorKind> failures, final Duration slowCallTime)
    {
        return CircuitBreakerConfig.custom()
            .recordException(failureOf(failures))
            .ignoreException(PluginBreakers::notAboutThePlugin)
            .slowCallDurationThreshold(Objects.requireNonNull(slowCallTime, "slowCallTime must not be null"));
    }

    /**
     * @param failures the plugin error kinds that count as failures.
     * @return true for a {@link PluginException} of one of those kinds.
     */
    public static Predicate<Throwable> failureOf(final Set<ErrorKind> failures)
    {
        final Set<ErrorKind> kinds = EnumSet.copyOf(Objects.requireNonNull(failures, "failures must not be null"));
        return thrown -> thrown instanceof PluginException plugin && kinds.contains(plugin.kind());
    }

    /** The caller's or the dispatcher's decision, not the plugin's answer. */
    private static boolean notAboutThePlugin(final Throwable thrown)
    {
        return thrown instanceof CancellationException || thrown instanceof DeadlineExceededException
            || thrown instanceof RejectedExecutionException || thrown instanceof InterruptedException;
    }
}
