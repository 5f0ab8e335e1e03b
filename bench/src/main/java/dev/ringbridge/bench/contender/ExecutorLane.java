package dev.ringbridge.bench.contender;

import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code executor} peer, what most Java code does: {@code Executors.newSingleThreadExecutor()} made
 * bounded, a {@link ThreadPoolExecutor} of one thread over an {@link ArrayBlockingQueue}, and
 * {@link CompletableFuture#supplyAsync} for every call. When the queue is full the executor would reject
 * the task; instead the rejection policy puts it into the queue, so the producer waits in
 * {@link ArrayBlockingQueue#put} (parked on the queue's lock condition) until the worker takes a task.
 *
 * <p>The usual caveat of that policy holds: a task put while the executor shuts down may never run. The
 * bench closes a contender only after its producers have their last result.
 *
 * <p><b>Threads.</b> The worker thread opens its session before its first task and closes it after its
 * last; only that thread touches {@link #session}.
 */
final class ExecutorLane implements WorkerLane
{
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final NativePlugin plugin;
    private final ThreadPoolExecutor executor;
    private final Thread worker;
    /** The worker's session; written and read by the worker thread only. */
    private CallSession session;

    /**
     * Starts the worker thread.
     *
     * @param plugin   the plugin, called only by the worker.
     * @param capacity the queue's bound.
     */
    ExecutorLane(final NativePlugin plugin, final int capacity)
    {
        this.plugin = plugin;
        final WorkerFactory factory = new WorkerFactory();
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), factory,
            ExecutorLane::waitForRoom);
        executor.prestartCoreThread();
        this.worker = factory.thread;
    }

    @Override
    public CompletableFuture<Object> submit(final CallRequest request)
    {
        return CompletableFuture.supplyAsync(() -> call(request), executor);
    }

    @Override
    public Thread worker()
    {
        return worker;
    }

    @Override
    public void close()
    {
        executor.shutdown();
        try
        {
            // The executor terminates before its thread leaves the session: wait for the thread too.
            executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            worker.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Worker thread. */
    private Object call(final CallRequest request)
    {
        try
        {
            return request.callOn(session);
        }
        catch (final PluginException e)
        {
            throw new CompletionException(e);
        }
    }

    /** Worker thread: the executor's own loop, inside the session. */
    private void runWithSession(final Runnable executorLoop)
    {
        try (CallSession opened = plugin.openSession())
        {
            session = opened;
            executorLoop.run();
        }
        finally
        {
            session = null;
        }
    }

    /** The rejection policy: a producer facing a full queue waits for room instead of failing. */
    private static void waitForRoom(final Runnable task, final ThreadPoolExecutor executor)
    {
        if (executor.isShutdown())
        {
            throw new RejectedExecutionException("the executor contender is closed");
        }
        try
        {
            executor.getQueue().put(task);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for room in the executor's queue", e);
        }
    }

    /** Makes the one worker thread (prestartCoreThread calls it on the constructing thread). */
    private final class WorkerFactory implements ThreadFactory
    {
        /** Set and read by the constructing thread (prestartCoreThread creates the worker there). */
        private Thread thread;

        @Override
        public Thread newThread(final Runnable executorLoop)
        {
            if (thread != null)
            {
                throw new IllegalStateException("the executor contender has one worker thread, which has died");
            }
            thread = new Thread(() -> runWithSession(executorLoop), "executor-worker");
            thread.setDaemon(true);
            return thread;
        }
    }
}
