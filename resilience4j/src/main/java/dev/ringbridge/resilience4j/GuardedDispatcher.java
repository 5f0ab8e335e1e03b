package dev.ringbridge.resilience4j;

import dev.ringbridge.dispatcher.CallFuture;
import dev.ringbridge.dispatcher.CallOptions;
import dev.ringbridge.dispatcher.CallType;
import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.PluginDispatcher;
import dev.ringbridge.dispatcher.PluginPool;
import dev.ringbridge.ffi.PluginException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Dispatcher} (one {@link PluginDispatcher}, or a {@link PluginPool}) behind a Resilience4j {@link CircuitBreaker}: a call the breaker does not permit fails
 * with {@link CallNotPermittedException} before it is encoded or enters the ring, so an open breaker costs the
 * owner thread nothing. Every permitted call's outcome and duration go to the breaker, which decides (with its
 * configuration, for example {@link PluginBreakers#config}) what is a failure and what is slow; half-open probes
 * are simply the calls it permits. A single dispatcher's plugin found FAILED (after a panic; it never recovers) opens
 * the breaker at once, without waiting for the failure rate; a pool replaces such an instance, so there a panic is one
 * failure among the others.
 *
 * <p><b>What it costs.</b> Nothing on the owner thread for {@link #call}: the outcome is recorded on the caller's
 * thread. For {@link #submit} the outcome is recorded in a dependent stage, which runs where the dispatcher runs
 * stages (the owner thread, unless a completion executor is configured) and decodes the result there; the
 * breaker's window is Resilience4j's (synchronized by default; see its lock-free strategy).
 *
 * <p>The duration recorded is the caller's view, from permission to result: it includes the wait in the ring, so
 * a saturated dispatcher shows up as slow calls as well as a slow plugin does.
 *
 * <p>Thread-safe, like the dispatcher and the breaker.
 */
public final class GuardedDispatcher
{
    private final Dispatcher dispatcher;
    private final CircuitBreaker breaker;

    private GuardedDispatcher(final Dispatcher dispatcher, final CircuitBreaker breaker)
    {
        this.dispatcher = dispatcher;
        this.breaker = breaker;
    }

    /**
     * @param dispatcher the dispatcher to guard; it stays usable directly (those calls bypass the breaker).
     * @param breaker    the breaker, one per dispatcher or pool.
     * @return the guarded dispatcher.
     */
    public static GuardedDispatcher of(final Dispatcher dispatcher, final CircuitBreaker breaker)
    {
        return new GuardedDispatcher(Objects.requireNonNull(dispatcher, "dispatcher must not be null"),
            Objects.requireNonNull(breaker, "breaker must not be null"));
    }

    /**
     * @return the breaker.
     */
    public CircuitBreaker breaker()
    {
        return breaker;
    }

    /**
     * @return the guarded dispatcher.
     */
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /**
     * {@link Dispatcher#submit(CallType, Object, CallOptions)} if the breaker permits it.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param options the call's options.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future; its outcome is recorded in the breaker when it completes.
     * @throws CallNotPermittedException when the breaker is open (or half-open with its probes taken).
     * @throws InterruptedException      when interrupted while waiting for room; nothing was submitted.
     */
    public <Q, R> CallFuture<R> submit(final CallType<Q, R> type, final Q request, final CallOptions options)
        throws InterruptedException
    {
        breaker.acquirePermission();
        final long start = breaker.getCurrentTimestamp();
        final CallFuture<R> future;
        try
        {
            future = dispatcher.submit(type, request, options);
        }
        catch (final InterruptedException | RuntimeException | Error notSubmitted)
        {
            breaker.releasePermission();
            throw notSubmitted;
        }
        future.whenComplete((result, failure) -> record(start, result, failure));
        return future;
    }

    /**
     * {@link Dispatcher#call(CallType, Object, CallOptions)} if the breaker permits it.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param options the call's options.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the result.
     * @throws CallNotPermittedException when the breaker is open (or half-open with its probes taken).
     * @throws PluginException           when the plugin answers with an error.
     * @throws TimeoutException          when the call's deadline passed.
     * @throws InterruptedException      when interrupted while waiting.
     */
    public <Q, R> R call(final CallType<Q, R> type, final Q request, final CallOptions options)
        throws PluginException, InterruptedException, TimeoutException
    {
        breaker.acquirePermission();
        final long start = breaker.getCurrentTimestamp();
        final R result;
        try
        {
            result = dispatcher.call(type, request, options);
        }
        catch (final PluginException | InterruptedException | TimeoutException | RuntimeException | Error failure)
        {
            record(start, null, failure);
            throw failure;
        }
        record(start, result, null);
        return result;
    }

    private void record(final long start, final Object result, final Throwable thrown)
    {
        final long duration = breaker.getCurrentTimestamp() - start;
        if (thrown == null)
        {
            breaker.onResult(duration, breaker.getTimestampUnit(), result);
            return;
        }
        final Throwable failure = thrown instanceof CompletionException || thrown instanceof ExecutionException
            ? thrown.getCause() : thrown;
        breaker.onError(duration, breaker.getTimestampUnit(), failure);
        if (failure instanceof PluginException && dispatcher instanceof PluginDispatcher single && single.plugin().isFailed())
        {
            openAtOnce();
        }
    }

    /** The plugin is FAILED and will answer nothing but errors: no need to wait for the failure rate. */
    private void openAtOnce()
    {
        final CircuitBreaker.State state = breaker.getState();
        if (state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN)
        {
            try
            {
                breaker.transitionToOpenState();
            }
            catch (final IllegalStateTransitionException raced)
            {
                // Another outcome moved the breaker first; it is open or about to be.
            }
        }
    }
}
