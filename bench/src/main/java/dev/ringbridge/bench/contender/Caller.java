package dev.ringbridge.bench.contender;

import java.util.concurrent.Future;

/**
 * One producer thread's handle on a {@link Contender}, bound to one workload. It holds whatever the
 * thread needs per call (a session, request and response buffers) so that the measured loop only calls.
 *
 * <p><b>Threads.</b> Opened, used and closed by one producer thread.
 */
public interface Caller extends AutoCloseable
{
    /**
     * Makes one call and waits for its result, with the contender's best blocking path
     * (for the binary workload: the caller's own request and response buffers where the contender has one).
     *
     * @throws Exception when the call fails.
     */
    void call() throws Exception;

    /**
     * Starts one call without waiting for its result, blocking only while the contender has no room
     * (backpressure). A synchronous contender makes the call here and returns null.
     *
     * @return the call's future, or null when the call already finished on this thread.
     * @throws Exception when the call cannot be submitted or, for a synchronous contender, fails.
     */
    Future<?> submit() throws Exception;

    /**
     * Releases the thread's buffers and session.
     */
    @Override
    void close();
}
