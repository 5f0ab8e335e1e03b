package dev.ringbridge.bench.contender;

import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.PluginException;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * A call waiting in a peer's queue, and the future its worker completes: what a user of a plain queue
 * puts in it. One per call, allocated by the producer.
 *
 * @param request the request.
 * @param result  completed by the worker with the response, or with the plugin's exception.
 */
record PendingCall(CallRequest request, CompletableFuture<Object> result)
{
    /**
     * @param request the request.
     * @return a call whose future is not yet complete.
     */
    static PendingCall of(final CallRequest request)
    {
        return new PendingCall(request, new CompletableFuture<>());
    }

    /**
     * Producer thread: queues a new call for a worker, backing off while the queue is full
     * ({@link SpinYieldPark#PRODUCER}), as the queue peers' producers do.
     *
     * @param queue   the peer's queue; it never blocks, so the producer waits here.
     * @param request the request.
     * @return the call's future.
     * @throws InterruptedException when interrupted while waiting for room.
     */
    static CompletableFuture<Object> offer(final Queue<PendingCall> queue, final CallRequest request) throws InterruptedException
    {
        final PendingCall call = of(request);
        SpinYieldPark.PRODUCER.offer(queue, call);
        return call.result();
    }

    /**
     * Worker thread: makes the call and completes the future, which runs the future's callbacks here.
     *
     * @param session the worker's session.
     */
    void runOn(final CallSession session)
    {
        try
        {
            result.complete(request.callOn(session));
        }
        catch (final PluginException | RuntimeException e)
        {
            result.completeExceptionally(e);
        }
    }

    /**
     * Fails the call that a closing worker can no longer make.
     */
    void abandon()
    {
        result.completeExceptionally(new IllegalStateException("the worker closed before the call ran"));
    }
}
