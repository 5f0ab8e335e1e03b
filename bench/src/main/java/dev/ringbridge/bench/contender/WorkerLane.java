package dev.ringbridge.bench.contender;

import java.util.concurrent.CompletableFuture;

/**
 * How a peer hands calls from many producer threads to the one worker thread that calls the plugin,
 * through the session that worker opened: a bounded queue and the worker loop that drains it, written
 * as a user of that queue library would. {@link PeerContender} runs the benchmark's callers on it.
 *
 * <p><b>Threads.</b> {@link #submit} from any thread; it blocks only while the queue is full.
 * {@link #close} once, after the last submit.
 */
interface WorkerLane extends AutoCloseable
{
    /**
     * Queues one call, waiting while the queue is full.
     *
     * @param request the call.
     * @return its future, completed on the worker thread with the response or the plugin's exception.
     * @throws InterruptedException when interrupted while waiting for room.
     */
    CompletableFuture<Object> submit(CallRequest request) throws InterruptedException;

    /**
     * @return the thread that makes every call.
     */
    Thread worker();

    /**
     * Runs every call already queued, closes the worker's session and stops the worker.
     */
    @Override
    void close();
}
