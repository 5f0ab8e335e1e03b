package dev.ringbridge.bench.contender;

import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: the seeds' Python {@code SynchronizedPlugin} (tutorial chapter 7, section 3) written
 * in Java line for line, with {@code queue.Queue} as an {@link ArrayBlockingQueue}, {@code Future} as a
 * {@link CompletableFuture} and the same daemon worker thread. It is what users of the tutorial run
 * today, so it is the yardstick for every ringbridge target.
 *
 * <p>Kept as in the seeds: the shutdown check under a lock in every {@code submit}; the worker's
 * {@code get(timeout=0.1)} poll loop; the {@code None} sentinel (a {@link #POISON} item, since the queue
 * takes no null); failing the calls left in the queue at shutdown. Left out: {@code task_done} (nothing
 * joins the queue) and the typed methods (JSON mapping is the same for every contender).
 *
 * <p>Two changes for a fair race, both stated in the report: the worker calls the plugin through its own
 * {@link CallSession}, the native path ringbridge's owner thread uses, where the seeds' {@code plugin.call}
 * would open a session per call; and {@link #submitRaw} carries binary calls through the same queue.
 *
 * <p><b>Threads.</b> {@code submit} and {@code call} from any thread; they block while the queue is full.
 */
public final class SynchronizedPlugin implements AutoCloseable
{
    /** The sentinel that stops the worker, as {@code None} does in the seeds. */
    private static final PluginWorkItem POISON = new PluginWorkItem(null, null, null, 0, null);
    private static final long POLL_MILLIS = 100;

    /** A pending call: a JSON call has a type tag and a request text, a binary one a message id and bytes. */
    private record PluginWorkItem(String typeTag, String request, byte[] binaryRequest, int messageId,
                                  CompletableFuture<Object> completion)
    {
    }

    private final NativePlugin plugin;
    private final int maxQueueSize;
    private final boolean closePlugin;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}, as {@code self._shutdown} is by {@code self._lock}. */
    private boolean shutdown;
    private final ArrayBlockingQueue<PluginWorkItem> workQueue;
    private final Thread workerThread;

    /**
     * Starts the worker thread.
     *
     * @param plugin       the plugin; from now on only the worker calls it.
     * @param maxQueueSize the bound on queued calls (the seeds default to 100).
     * @param closePlugin  whether {@link #shutdown} closes the plugin, as the seeds' {@code plugin.shutdown()} does.
     */
    public SynchronizedPlugin(final NativePlugin plugin, final int maxQueueSize, final boolean closePlugin)
    {
        this.plugin = Objects.requireNonNull(plugin, "plugin must not be null");
        if (maxQueueSize < 1)
        {
            throw new IllegalArgumentException("maxQueueSize must be positive, was " + maxQueueSize);
        }
        this.maxQueueSize = maxQueueSize;
        this.closePlugin = closePlugin;
        // Bounded queue provides backpressure.
        this.workQueue = new ArrayBlockingQueue<>(maxQueueSize);
        this.workerThread = new Thread(this::workerLoop, "SynchronizedPlugin-Worker");
        workerThread.setDaemon(true);
        workerThread.start();
    }

    /**
     * @return the number of calls waiting in the queue.
     */
    public int pendingCount()
    {
        return workQueue.size();
    }

    /**
     * @return the queue's capacity.
     */
    public int maxQueueSize()
    {
        return maxQueueSize;
    }

    /**
     * @return the worker thread, the only one that calls the plugin.
     */
    public Thread workerThread()
    {
        return workerThread;
    }

    /**
     * Submits a request asynchronously; blocks while the queue is full (that is the backpressure).
     *
     * @param typeTag the handler's type tag.
     * @param request the request JSON.
     * @return the future of the response JSON.
     * @throws InterruptedException when interrupted while waiting for room.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<String> submit(final String typeTag, final String request) throws InterruptedException
    {
        return (CompletableFuture<String>)(CompletableFuture<?>)enqueue(typeTag, request, null, 0);
    }

    /**
     * Submits a binary call through the same queue (an addition to the seeds, which have only JSON).
     *
     * @param messageId the binary message id.
     * @param request   the request bytes.
     * @return the future of the response bytes.
     * @throws InterruptedException when interrupted while waiting for room.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<byte[]> submitRaw(final int messageId, final byte[] request) throws InterruptedException
    {
        return (CompletableFuture<byte[]>)(CompletableFuture<?>)enqueue(null, null, request, messageId);
    }

    /**
     * Submits a request and waits for the result (blocking).
     *
     * @param typeTag the handler's type tag.
     * @param request the request JSON.
     * @return the response JSON.
     * @throws InterruptedException when interrupted.
     * @throws ExecutionException   with the plugin's exception as the cause.
     */
    public String call(final String typeTag, final String request) throws InterruptedException, ExecutionException
    {
        return submit(typeTag, request).get();
    }

    /**
     * Stops the worker after the queued calls and waits up to five seconds for it, then closes the
     * plugin if so configured. Idempotent.
     */
    public void shutdown()
    {
        synchronized (lock)
        {
            if (shutdown)
            {
                return;
            }
            shutdown = true;
        }
        try
        {
            workQueue.put(POISON);
            workerThread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        if (closePlugin)
        {
            plugin.close();
        }
    }

    /**
     * Same as {@link #shutdown()}.
     */
    @Override
    public void close()
    {
        shutdown();
    }

    private CompletableFuture<Object> enqueue(final String typeTag, final String request, final byte[] binaryRequest,
        final int messageId) throws InterruptedException
    {
        synchronized (lock)
        {
            if (shutdown)
            {
                return CompletableFuture.failedFuture(new IllegalStateException("SynchronizedPlugin has been shut down"));
            }
        }
        final CompletableFuture<Object> completion = new CompletableFuture<>();
        // This blocks if the queue is full - that's the backpressure!
        workQueue.put(new PluginWorkItem(typeTag, request, binaryRequest, messageId, completion));
        return completion;
    }

    private void workerLoop()
    {
        try (CallSession session = plugin.openSession())
        {
            while (true)
            {
                final PluginWorkItem workItem;
                try
                {
                    workItem = workQueue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                catch (final InterruptedException e)
                {
                    break;
                }
                if (workItem == null)
                {
                    synchronized (lock)
                    {
                        if (shutdown && workQueue.isEmpty())
                        {
                            break;
                        }
                    }
                    continue;
                }
                if (workItem == POISON)
                {
                    break;
                }
                try
                {
                    final Object response = workItem.typeTag() != null
                        ? session.call(workItem.typeTag(), workItem.request())
                        : session.callRaw(workItem.messageId(), workItem.binaryRequest());
                    workItem.completion().complete(response);
                }
                catch (final Exception e)
                {
                    workItem.completion().completeExceptionally(e);
                }
            }
        }
        // Fail any remaining items.
        PluginWorkItem workItem;
        while ((workItem = workQueue.poll()) != null)
        {
            if (workItem != POISON)
            {
                workItem.completion().completeExceptionally(new IllegalStateException("SynchronizedPlugin has been shut down"));
            }
        }
    }
}
