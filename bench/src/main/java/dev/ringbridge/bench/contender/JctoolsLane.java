package dev.ringbridge.bench.contender;

import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;
import org.jctools.queues.MpscArrayQueue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code jctools} peer: a JCTools {@link MpscArrayQueue} of {@link PendingCall}s and one worker
 * thread that drains it with JCTools' own loop, {@code drain(consumer, waitStrategy, exitCondition)},
 * idling by {@link SpinYieldPark#WORKER} (spin, yield, park) when the queue is empty. A producer facing
 * a full queue backs off by {@link SpinYieldPark#PRODUCER} until its offer succeeds.
 *
 * <p><b>Threads.</b> The worker opens its session, makes every call, and closes the session when it
 * stops. {@link #close} flips {@link #running} and waits for the worker.
 */
final class JctoolsLane implements WorkerLane
{
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final MpscArrayQueue<PendingCall> queue;
    private final Thread worker;
    /** Written by the closing thread, read by the worker in its exit condition (volatile store, volatile load). */
    private volatile boolean running = true;

    /**
     * Starts the worker.
     *
     * @param plugin   the plugin, called only by the worker.
     * @param capacity the queue's bound (JCTools rounds it up to a power of two).
     */
    JctoolsLane(final NativePlugin plugin, final int capacity)
    {
        this.queue = new MpscArrayQueue<>(capacity);
        this.worker = new Thread(() -> work(plugin), "jctools-worker");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public CompletableFuture<Object> submit(final CallRequest request) throws InterruptedException
    {
        return PendingCall.offer(queue, request);
    }

    @Override
    public Thread worker()
    {
        return worker;
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(worker);
        try
        {
            worker.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void work(final NativePlugin plugin)
    {
        try (CallSession session = plugin.openSession())
        {
            // One consumer object for the whole run: no lambda per call.
            queue.drain(call -> call.runOn(session), SpinYieldPark.WORKER, () -> running);
            // Calls accepted before close still run.
            PendingCall call;
            while ((call = queue.poll()) != null)
            {
                call.runOn(session);
            }
        }
    }
}
