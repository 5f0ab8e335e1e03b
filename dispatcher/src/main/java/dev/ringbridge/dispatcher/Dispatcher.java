package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The call API of ringbridge: what a service needs to call a plugin, whether one instance serves it
 * ({@link PluginDispatcher}) or several ({@link PluginPool}). Code written against this interface works with both.
 *
 * <p>Every kind of call is described by a {@link CallType} and goes through the same verbs: {@code submit} returns a
 * {@link CallFuture}, {@code trySubmit} does so only if there is room now, {@code call} waits for the result; each
 * with or without a timeout, and with {@link CallOptions} (deadline, lane, and in a pool the routing key and
 * idempotence). Requests are encoded on the calling thread and results decoded where they are read. A full instance
 * makes its callers wait: that is the backpressure. Every future handed out completes, at shutdown too.
 *
 * <p>All methods are thread-safe.
 */
public interface Dispatcher extends AutoCloseable
{
    /**
     * Submits a call, waiting while there is no room.
     *
     * @param type    the call's descriptor.
     * @param request the request; encoded on this thread.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future.
     * @throws InterruptedException       when interrupted while waiting for room; nothing was submitted.
     * @throws RejectedExecutionException when shut down, or on an owner thread when the ring is full.
     * @throws IllegalArgumentException   when the request cannot be encoded (named).
     */
    <Q, R> CallFuture<R> submit(CallType<Q, R> type, Q request) throws InterruptedException;

    /**
     * Submits a call with per-call options, waiting while there is no room (at most until its deadline, if it has
     * one; a call that got no room by then completes with a {@link DeadlineExceededException}).
     *
     * @param type    the call's descriptor.
     * @param request the request; encoded on this thread.
     * @param options the call's options.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future.
     * @throws InterruptedException       when interrupted while waiting for room; nothing was submitted.
     * @throws RejectedExecutionException when shut down, or on an owner thread when the ring is full.
     * @throws IllegalArgumentException   when the request cannot be encoded (named).
     */
    <Q, R> CallFuture<R> submit(CallType<Q, R> type, Q request, CallOptions options) throws InterruptedException;

    /**
     * Submits a call, waiting at most {@code timeout} for room.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param timeout the longest wait for room.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future.
     * @throws TimeoutException     when no room came in time; nothing was submitted.
     * @throws InterruptedException when interrupted while waiting.
     */
    <Q, R> CallFuture<R> submit(CallType<Q, R> type, Q request, Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Submits a call only if there is room now; never waits.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future, or empty when there is no room.
     * @throws RejectedExecutionException when shut down.
     */
    <Q, R> Optional<CallFuture<R>> trySubmit(CallType<Q, R> type, Q request);

    /**
     * Submits a call with per-call options only if there is room now; never waits.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param options the call's options.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future, or empty when there is no room.
     * @throws RejectedExecutionException when shut down.
     */
    <Q, R> Optional<CallFuture<R>> trySubmit(CallType<Q, R> type, Q request, CallOptions options);

    /**
     * Submits a call if room comes within {@code timeout}.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param timeout the longest wait for room.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future, or empty when no room came in time.
     * @throws InterruptedException when interrupted while waiting.
     */
    <Q, R> Optional<CallFuture<R>> trySubmit(CallType<Q, R> type, Q request, Duration timeout) throws InterruptedException;

    /**
     * Submits a list of calls with one claim of room for all of them: they run back to back, in order, on one instance.
     *
     * @param type     the calls' descriptor.
     * @param requests the requests, at most one instance's capacity; all are encoded before any is submitted.
     * @param <Q>      the request type.
     * @param <R>      the response type.
     * @return one future per request, in order.
     * @throws InterruptedException when interrupted while waiting for room; nothing was submitted.
     */
    <Q, R> List<CallFuture<R>> submitAll(CallType<Q, R> type, List<? extends Q> requests) throws InterruptedException;

    /**
     * Makes a call and waits for its result, decoded on this thread; no deadline.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the result.
     * @throws PluginException      when the plugin answers with an error.
     * @throws InterruptedException when interrupted while waiting.
     */
    <Q, R> R call(CallType<Q, R> type, Q request) throws PluginException, InterruptedException;

    /**
     * Makes a call and waits at most {@code timeout} in all; the timeout is also the call's deadline, so a call the
     * caller gave up on does not enter the plugin.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param timeout the longest wait.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the result.
     * @throws PluginException      when the plugin answers with an error.
     * @throws TimeoutException     when the time ran out ({@link DeadlineExceededException} when shed unstarted).
     * @throws InterruptedException when interrupted while waiting.
     */
    <Q, R> R call(CallType<Q, R> type, Q request, Duration timeout) throws PluginException, InterruptedException, TimeoutException;

    /**
     * Makes a call with per-call options and waits for its result.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param options the call's options.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the result.
     * @throws PluginException      when the plugin answers with an error.
     * @throws TimeoutException     when the call's deadline passed.
     * @throws InterruptedException when interrupted while waiting.
     */
    <Q, R> R call(CallType<Q, R> type, Q request, CallOptions options) throws PluginException, InterruptedException, TimeoutException;

    /**
     * Calls a binary handler with the caller's own memory and waits; nothing is allocated per call.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes.
     * @param response  where the response is written.
     * @return the number of response bytes written.
     * @throws PluginException      when the plugin answers with an error.
     * @throws InterruptedException when interrupted while waiting for room; nothing was submitted.
     */
    long callRaw(int messageId, MemorySegment request, MemorySegment response) throws PluginException, InterruptedException;

    /**
     * Returns the most calls accepted and not yet finished, over all lanes and instances.
     *
     * @return the most calls accepted and not yet finished, over all lanes and instances.
     */
    int capacity();

    /**
     * Returns calls accepted and not yet finished (queued or running), over all lanes and instances.
     *
     * @return calls accepted and not yet finished, over all lanes and instances.
     */
    long pendingCount();

    /**
     * Returns the most calls one lane accepts and has not yet finished, over all instances; 0 for a lane that is not
     * configured ({@link Lane#HIGH} without {@link DispatcherBuilder#highLane}).
     *
     * @param lane the lane.
     * @return the lane's capacity, over all instances.
     */
    int capacity(Lane lane);

    /**
     * Returns calls accepted in one lane and not yet finished (queued or running), over all instances. A gauge: the
     * lanes' figures are read a moment apart, so during traffic their sum may differ from {@link #pendingCount()}
     * by the calls finished in between.
     *
     * @param lane the lane.
     * @return calls of that lane accepted and not yet finished, over all instances.
     */
    long pendingCount(Lane lane);

    /**
     * Returns the latency histograms and counters since the start, over all instances.
     *
     * @return the latency histograms and counters since the start, over all instances.
     */
    MetricsSnapshot totalMetrics();

    /**
     * A reader of its own for figures over intervals, over all instances: each {@link MetricsReader#next()} returns
     * what happened since that reader's previous one. Readers never disturb one another.
     *
     * @return a new reader, its first interval starting now.
     */
    default MetricsReader newMetricsReader()
    {
        return new MetricsReader(this::totalMetrics);
    }

    /**
     * Returns true once {@link #close()} or {@link #shutdownNow()} has begun.
     *
     * @return true once shutdown has begun.
     */
    boolean isShutdown();

    /**
     * Returns true once every call has finished and every plugin instance is released.
     *
     * @return true once terminated.
     */
    boolean isTerminated();

    /**
     * Waits until terminated.
     *
     * @param timeout the longest wait.
     * @return true when terminated.
     * @throws InterruptedException when interrupted while waiting.
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /**
     * Stops intake, runs every call already accepted, closes the plugin instances and waits for all of it. Idempotent,
     * from any thread.
     */
    @Override
    void close();

    /**
     * Stops intake, fails every accepted call that has not started with a {@link RejectedExecutionException}, lets the
     * running calls finish, closes the plugin instances and waits. Idempotent, from any thread.
     */
    void shutdownNow();
}
