package dev.ringbridge.dispatcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.TypeTag;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serialises calls to one {@link NativePlugin} from any number of threads through an LMAX Disruptor
 * ring to one owner thread, the only thread that ever calls the plugin.
 *
 * <p><b>Backpressure.</b> At most {@link #capacity()} calls are accepted and not yet finished. When the
 * ring holds that many, {@code submit} and {@code call} block until a call finishes: interruptibly,
 * optionally with a timeout, parked rather than spinning (virtual threads unmount). {@code trySubmit}
 * never blocks. On the owner thread itself (in a callback) a submit that would block is refused
 * instead, as is any blocking wait for a result there: the owner cannot wait for itself.
 *
 * <p><b>Results.</b> Futures complete on the owner thread, so callbacks chained without an executor run
 * there and hold up the ring; configure {@link Builder#completionExecutor(Executor)} for slow callbacks.
 * A plugin error completes the future with {@link PluginException} (code kept) and the dispatcher carries
 * on; after a panic the plugin is FAILED and later calls fail at once.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops intake, runs every call already accepted, then closes the
 * plugin. {@link #shutdownNow()} fails the calls not yet started instead of running them. Either way every
 * future ever handed out completes and blocked producers are released with a
 * {@link java.util.concurrent.RejectedExecutionException}. Both are idempotent and safe from any thread,
 * including the owner thread (where they do not wait).
 *
 * <p>All methods are thread-safe.
 */
public final class PluginDispatcher implements AutoCloseable
{
    private static final System.Logger LOGGER = System.getLogger(PluginDispatcher.class.getName());

    private final NativePlugin plugin;
    private final Disruptor<CallEvent> disruptor;
    private final RingBuffer<CallEvent> ring;
    private final ClaimGate gate;
    private final CallHandler handler;
    private final DispatcherMetrics metrics;
    private final JsonCodec codec;
    private final Thread owner;
    private final Executor completionExecutor;
    private final long callerSpinNanos;
    private final WaitMode waitMode;
    /** Set once by the thread that publishes the STOP event; read by metrics. */
    private volatile boolean stopPublished;

    private PluginDispatcher(final Builder builder)
    {
        this.plugin = builder.plugin;
        this.gate = new ClaimGate(builder.capacity);
        this.codec = new JsonCodec(builder.objectMapper != null ? builder.objectMapper : JsonCodec.defaultMapper());
        this.completionExecutor = builder.completionExecutor;
        this.waitMode = builder.waitMode;
        this.callerSpinNanos = builder.callerSpinNanos >= 0 ? builder.callerSpinNanos : builder.waitMode.callerSpinNanos();

        final AtomicReference<Thread> created = new AtomicReference<>();
        final String threadName = builder.threadName != null ? builder.threadName : "ringbridge-" + plugin.name();
        final boolean daemon = builder.daemon;
        // One more slot than the capacity: the STOP event always finds room, and a producer holding
        // a permit never waits in the Disruptor's own claim loop.
        final int ringSize = Integer.highestOneBit(builder.capacity) << 1;
        this.disruptor = new Disruptor<>(CallEvent::new, ringSize, runnable ->
        {
            final Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(daemon);
            if (!created.compareAndSet(null, thread))
            {
                throw new IllegalStateException("the dispatcher runs exactly one owner thread");
            }
            return thread;
        }, ProducerType.MULTI, builder.waitMode.newWaitStrategy());
        this.ring = disruptor.getRingBuffer();
        this.metrics = new DispatcherMetrics(builder.metrics, this::submittedCount, builder.capacity);
        this.handler = new CallHandler(plugin, builder.closePlugin, gate, metrics, completionExecutor, disruptor::halt);
        disruptor.handleEventsWith(handler);
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        disruptor.start();
        this.owner = created.get();
    }

    /**
     * Starts building a dispatcher that owns {@code plugin}: from now on only the dispatcher's thread
     * should call it, and {@link #close()} closes it unless {@link Builder#closePlugin(boolean)} says otherwise.
     *
     * @param plugin the loaded plugin.
     * @return a builder.
     */
    public static Builder builder(final NativePlugin plugin)
    {
        return new Builder(plugin);
    }

    // ---- JSON text --------------------------------------------------------------------------------

    /**
     * Submits a JSON call, blocking while the ring is full.
     *
     * @param typeTag the handler's type tag: not empty, no NUL.
     * @param json    the request JSON.
     * @return the future of the response payload's JSON text.
     * @throws InterruptedException when interrupted while waiting for room; nothing was submitted.
     * @throws java.util.concurrent.RejectedExecutionException when the dispatcher is shut down, or on the
     *                              owner thread when the ring is full.
     */
    public CallFuture<String> submit(final String typeTag, final String json) throws InterruptedException
    {
        checkRequest(typeTag, json);
        enter();
        return publish(CallKind.JSON_TEXT, typeTag, json, 0, null, newFuture());
    }

    /**
     * Submits a JSON call, waiting at most {@code timeout} for room in the ring.
     *
     * @param typeTag the handler's type tag.
     * @param json    the request JSON.
     * @param timeout the longest wait for room.
     * @return the future of the response payload's JSON text.
     * @throws TimeoutException     when no room came in time; nothing was submitted.
     * @throws InterruptedException when interrupted while waiting.
     */
    public CallFuture<String> submit(final String typeTag, final String json, final Duration timeout)
        throws InterruptedException, TimeoutException
    {
        checkRequest(typeTag, json);
        enter(timeout.toNanos());
        return publish(CallKind.JSON_TEXT, typeTag, json, 0, null, newFuture());
    }

    /**
     * Submits a JSON call only if the ring has room now; never blocks.
     *
     * @param typeTag the handler's type tag.
     * @param json    the request JSON.
     * @return the call's future, or empty when the ring is full.
     * @throws java.util.concurrent.RejectedExecutionException when the dispatcher is shut down.
     */
    public Optional<CallFuture<String>> trySubmit(final String typeTag, final String json)
    {
        checkRequest(typeTag, json);
        if (!gate.tryEnter())
        {
            metrics.recordRejected();
            return Optional.empty();
        }
        return Optional.of(publish(CallKind.JSON_TEXT, typeTag, json, 0, null, newFuture()));
    }

    /**
     * Calls a JSON handler and waits for the response.
     *
     * @param typeTag the handler's type tag.
     * @param json    the request JSON.
     * @return the response payload's JSON text.
     * @throws PluginException      when the plugin answers with an error.
     * @throws InterruptedException when interrupted while waiting.
     * @throws IllegalStateException on the owner thread, which cannot wait for itself.
     */
    public String call(final String typeTag, final String json) throws PluginException, InterruptedException
    {
        checkNotOwner();
        return awaitResult(submit(typeTag, json));
    }

    /**
     * Calls a JSON handler and waits at most {@code timeout} in all (for room and for the response).
     * When the wait for the response times out, the call itself still runs; its result is dropped.
     *
     * @param typeTag the handler's type tag.
     * @param json    the request JSON.
     * @param timeout the longest wait.
     * @return the response payload's JSON text.
     * @throws PluginException      when the plugin answers with an error.
     * @throws TimeoutException     when the time ran out.
     * @throws InterruptedException when interrupted while waiting.
     */
    public String call(final String typeTag, final String json, final Duration timeout)
        throws PluginException, InterruptedException, TimeoutException
    {
        checkNotOwner();
        final long deadline = System.nanoTime() + timeout.toNanos();
        final CallFuture<String> future = submit(typeTag, json, timeout);
        return awaitResult(future, deadline - System.nanoTime());
    }

    // ---- JSON bytes and binary -------------------------------------------------------------------

    /**
     * Submits a JSON call whose request is UTF-8 bytes, blocking while the ring is full.
     *
     * @param typeTag the handler's type tag.
     * @param json    the request as UTF-8 JSON bytes (not copied: do not change them until the call is done).
     * @return the future of the response payload as UTF-8 JSON bytes.
     * @throws InterruptedException when interrupted while waiting for room.
     */
    public CallFuture<byte[]> submitBytes(final String typeTag, final byte[] json) throws InterruptedException
    {
        checkRequest(typeTag, json);
        enter();
        return publish(CallKind.JSON_BYTES, typeTag, json, 0, null, newFuture());
    }

    /**
     * Submits a binary-transport call, blocking while the ring is full.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes (not copied: do not change them until the call is done).
     * @return the future of the response bytes.
     * @throws InterruptedException when interrupted while waiting for room.
     */
    public CallFuture<byte[]> submitRaw(final int messageId, final byte[] request) throws InterruptedException
    {
        Objects.requireNonNull(request, "request must not be null");
        checkBinaryTransport();
        enter();
        return publish(CallKind.RAW_BYTES, null, request, messageId, null, newFuture());
    }

    /**
     * Calls a binary handler and waits for the response.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes.
     * @return the response bytes.
     * @throws PluginException      when the plugin answers with an error.
     * @throws InterruptedException when interrupted while waiting.
     */
    public byte[] callRaw(final int messageId, final byte[] request) throws PluginException, InterruptedException
    {
        checkNotOwner();
        return awaitResult(submitRaw(messageId, request));
    }

    /**
     * Calls a binary handler with the caller's own buffers and waits; the owner thread copies the
     * response straight into {@code response}. Allocates nothing in steady state: no future, no copy.
     * The segments must be accessible from the owner thread (global, shared or automatic arenas, or
     * heap segments). Once the call is in the ring this method waits for it to finish even when
     * interrupted, because the owner thread will write into {@code response}; the interrupt is kept.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes.
     * @param response  where the response is written.
     * @return the number of response bytes written.
     * @throws PluginException      when the plugin answers with an error.
     * @throws InterruptedException when interrupted while waiting for room; nothing was submitted.
     */
    public long callRaw(final int messageId, final MemorySegment request, final MemorySegment response)
        throws PluginException, InterruptedException
    {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(response, "response must not be null");
        checkBinaryTransport();
        checkNotOwner();
        enter();
        final ParkedCompletion completion = ParkedCompletion.forCurrentThread();
        publish(CallKind.RAW_SEGMENTS, null, request, messageId, response, completion);
        try
        {
            return completion.await(callerSpinNanos);
        }
        catch (final PluginException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("plugin call failed", t);
        }
    }

    // ---- typed -----------------------------------------------------------------------------------

    /**
     * Submits a typed call: the request is written as JSON (snake_case names by default) on the calling
     * thread and the response mapped to {@code responseType}.
     *
     * @param typeTag      the handler's type tag.
     * @param request      a record, POJO or map.
     * @param responseType the response class.
     * @param <R>          the response type.
     * @return the future of the mapped response.
     * @throws InterruptedException when interrupted while waiting for room.
     */
    public <R> CompletableFuture<R> submitTyped(final String typeTag, final Object request, final Class<R> responseType)
        throws InterruptedException
    {
        Objects.requireNonNull(responseType, "responseType must not be null");
        final String json = codec.write(typeTag, request);
        return submit(typeTag, json).thenApply(response -> codec.read(typeTag, response, responseType));
    }

    /**
     * Calls a typed handler and waits; the response is mapped on the calling thread.
     *
     * @param typeTag      the handler's type tag.
     * @param request      a record, POJO or map.
     * @param responseType the response class.
     * @param <R>          the response type.
     * @return the mapped response.
     * @throws PluginException      when the plugin answers with an error.
     * @throws InterruptedException when interrupted while waiting.
     */
    public <R> R callTyped(final String typeTag, final Object request, final Class<R> responseType)
        throws PluginException, InterruptedException
    {
        Objects.requireNonNull(responseType, "responseType must not be null");
        return codec.read(typeTag, call(typeTag, codec.write(typeTag, request)), responseType);
    }

    /**
     * Typed call with a time limit; see {@link #call(String, String, Duration)}.
     *
     * @param typeTag      the handler's type tag.
     * @param request      a record, POJO or map.
     * @param responseType the response class.
     * @param timeout      the longest wait.
     * @param <R>          the response type.
     * @return the mapped response.
     * @throws PluginException      when the plugin answers with an error.
     * @throws TimeoutException     when the time ran out.
     * @throws InterruptedException when interrupted while waiting.
     */
    public <R> R callTyped(final String typeTag, final Object request, final Class<R> responseType, final Duration timeout)
        throws PluginException, InterruptedException, TimeoutException
    {
        Objects.requireNonNull(responseType, "responseType must not be null");
        return codec.read(typeTag, call(typeTag, codec.write(typeTag, request), timeout), responseType);
    }

    // ---- state -----------------------------------------------------------------------------------

    /**
     * @return the most calls accepted and not yet finished, exactly as configured.
     */
    public int capacity()
    {
        return gate.capacity();
    }

    /**
     * @return calls accepted and not yet finished (queued or running).
     */
    public long pendingCount()
    {
        return metrics.pendingCount();
    }

    /**
     * @return this dispatcher's metrics.
     */
    public DispatcherMetrics metrics()
    {
        return metrics;
    }

    /**
     * @return the owner thread, the only thread that calls the plugin.
     */
    public Thread ownerThread()
    {
        return owner;
    }

    /**
     * @return the wait mode the dispatcher was built with.
     */
    public WaitMode waitMode()
    {
        return waitMode;
    }

    /**
     * @return the plugin this dispatcher owns.
     */
    public NativePlugin plugin()
    {
        return plugin;
    }

    /**
     * @return true once {@link #close()} or {@link #shutdownNow()} has begun.
     */
    public boolean isShutdown()
    {
        return gate.isClosed();
    }

    /**
     * @return true once the owner thread has finished every call and released the plugin.
     */
    public boolean isTerminated()
    {
        return handler.terminated().getCount() == 0;
    }

    /**
     * Waits until the owner thread has finished.
     *
     * @param timeout the longest wait.
     * @return true when terminated.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean awaitTermination(final Duration timeout) throws InterruptedException
    {
        return handler.terminated().await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    // ---- shutdown --------------------------------------------------------------------------------

    /**
     * Stops intake, runs every call already accepted, closes the plugin and waits for all of it
     * (except on the owner thread, which cannot wait for itself). Idempotent.
     */
    @Override
    public void close()
    {
        shutdown();
    }

    /**
     * Stops intake, fails every accepted call that has not started with a
     * {@link java.util.concurrent.RejectedExecutionException}, lets the running call finish, closes the
     * plugin and waits (except on the owner thread). Idempotent; may follow {@link #close()} to escalate.
     */
    public void shutdownNow()
    {
        handler.discardPending();
        shutdown();
    }

    private void shutdown()
    {
        if (gate.close())
        {
            // No producer is inside the gate any more: the STOP event is the last one ever published.
            final long sequence = ring.next();
            try
            {
                ring.get(sequence).kind = CallKind.STOP;
            }
            finally
            {
                stopPublished = true;
                ring.publish(sequence);
            }
        }
        if (Thread.currentThread() != owner)
        {
            awaitUninterruptibly(handler.terminated());
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    private long submittedCount()
    {
        return ring.getCursor() + 1 - (stopPublished ? 1 : 0);
    }

    private <T> CallFuture<T> newFuture()
    {
        return new CallFuture<>(owner, completionExecutor);
    }

    private void enter() throws InterruptedException
    {
        if (Thread.currentThread() == owner)
        {
            enterOnOwner();
            return;
        }
        try
        {
            gate.enter();
        }
        catch (final java.util.concurrent.RejectedExecutionException e)
        {
            metrics.recordRejected();
            throw e;
        }
    }

    private void enter(final long timeoutNanos) throws InterruptedException, TimeoutException
    {
        if (Thread.currentThread() == owner)
        {
            enterOnOwner();
            return;
        }
        try
        {
            gate.enter(timeoutNanos);
        }
        catch (final java.util.concurrent.RejectedExecutionException | TimeoutException e)
        {
            metrics.recordRejected();
            throw e;
        }
    }

    /** The owner thread drains the ring, so it must never wait for room in it. */
    private void enterOnOwner()
    {
        if (!gate.tryEnter())
        {
            metrics.recordRejected();
            throw new java.util.concurrent.RejectedExecutionException("the ring is full (capacity " + capacity()
                + ") and this submit runs on the dispatcher's own thread, which cannot wait for room");
        }
    }

    /** Called after a successful enter: claims a slot (never waits), fills it, publishes, leaves the gate. */
    private <C extends Completion> C publish(
        final CallKind kind, final String typeTag, final Object request, final int messageId,
        final MemorySegment response, final C completion)
    {
        try
        {
            final long sequence = ring.next();
            try
            {
                final CallEvent event = ring.get(sequence);
                event.kind = kind;
                event.typeTag = typeTag;
                event.request = request;
                event.messageId = messageId;
                event.response = response;
                event.completion = completion;
                event.submitNanos = metrics.latencyEnabled() ? System.nanoTime() : 0;
            }
            finally
            {
                ring.publish(sequence);
            }
        }
        finally
        {
            gate.exit();
        }
        return completion;
    }

    private <T> T awaitResult(final CallFuture<T> future) throws PluginException, InterruptedException
    {
        try
        {
            return future.await(callerSpinNanos);
        }
        catch (final ExecutionException e)
        {
            throw unwrap(e);
        }
    }

    private <T> T awaitResult(final CallFuture<T> future, final long timeoutNanos)
        throws PluginException, InterruptedException, TimeoutException
    {
        try
        {
            return future.await(callerSpinNanos, timeoutNanos);
        }
        catch (final ExecutionException e)
        {
            throw unwrap(e);
        }
    }

    /** Rethrows the call's own exception: PluginException as it is, unchecked ones as they are. */
    private static PluginException unwrap(final ExecutionException e)
    {
        final Throwable cause = e.getCause();
        if (cause instanceof PluginException plugin)
        {
            return plugin;
        }
        if (cause instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (cause instanceof Error error)
        {
            throw error;
        }
        throw new IllegalStateException("plugin call failed", cause);
    }

    private void checkNotOwner()
    {
        if (Thread.currentThread() == owner)
        {
            throw new IllegalStateException("a blocking ringbridge call on the dispatcher's own thread \"" + owner.getName()
                + "\" would wait for itself; use submit(...) and chain the result instead");
        }
    }

    private void checkBinaryTransport()
    {
        if (!plugin.hasBinaryTransport())
        {
            throw new UnsupportedOperationException("plugin " + plugin.name() + " has no binary transport");
        }
    }

    private static void checkRequest(final String typeTag, final Object request)
    {
        TypeTag.check(typeTag);
        Objects.requireNonNull(request, "request must not be null");
    }

    private static void awaitUninterruptibly(final CountDownLatch latch)
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                latch.await();
                break;
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Logs and carries on: the Disruptor's default handler would rethrow and kill the owner thread. */
    private static final class LoggingExceptionHandler implements ExceptionHandler<CallEvent>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final CallEvent event)
        {
            LOGGER.log(System.Logger.Level.ERROR, "ringbridge owner thread: unexpected exception at sequence " + sequence, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            LOGGER.log(System.Logger.Level.ERROR, "ringbridge owner thread failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            LOGGER.log(System.Logger.Level.WARNING, "ringbridge owner thread failed to shut down cleanly", ex);
        }
    }

    /**
     * Builds and starts a {@link PluginDispatcher}. Not thread-safe.
     */
    public static final class Builder
    {
        private final NativePlugin plugin;
        private int capacity = 1024;
        private WaitMode waitMode = WaitMode.BACKOFF;
        private long callerSpinNanos = -1;
        private String threadName;
        private boolean metrics = true;
        private boolean daemon;
        private boolean closePlugin = true;
        private Executor completionExecutor;
        private ObjectMapper objectMapper;

        private Builder(final NativePlugin plugin)
        {
            this.plugin = Objects.requireNonNull(plugin, "plugin must not be null");
        }

        /**
         * @param capacity the most calls accepted and not yet finished; any positive number (default 1024).
         * @return this builder.
         */
        public Builder capacity(final int capacity)
        {
            if (capacity < 1 || capacity > (1 << 29))
            {
                throw new IllegalArgumentException("capacity must be between 1 and 2^29, was " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * @param waitMode how the owner thread and blocked callers wait (default {@link WaitMode#BACKOFF}).
         * @return this builder.
         */
        public Builder waitMode(final WaitMode waitMode)
        {
            this.waitMode = Objects.requireNonNull(waitMode, "waitMode must not be null");
            return this;
        }

        /**
         * @param spin how long a caller blocked in {@code call} spins before parking (default per wait mode).
         * @return this builder.
         */
        public Builder callerSpin(final Duration spin)
        {
            if (spin.isNegative())
            {
                throw new IllegalArgumentException("callerSpin must not be negative, was " + spin);
            }
            this.callerSpinNanos = spin.toNanos();
            return this;
        }

        /**
         * @param threadName the owner thread's name (default {@code ringbridge-<library file>}).
         * @return this builder.
         */
        public Builder threadName(final String threadName)
        {
            this.threadName = Objects.requireNonNull(threadName, "threadName must not be null");
            return this;
        }

        /**
         * @param enabled record per-call latency histograms (default true; counters are always kept).
         * @return this builder.
         */
        public Builder metrics(final boolean enabled)
        {
            this.metrics = enabled;
            return this;
        }

        /**
         * @param daemon whether the owner thread is a daemon thread (default false: close the dispatcher).
         * @return this builder.
         */
        public Builder daemon(final boolean daemon)
        {
            this.daemon = daemon;
            return this;
        }

        /**
         * @param closePlugin whether shutdown closes the plugin (default true).
         * @return this builder.
         */
        public Builder closePlugin(final boolean closePlugin)
        {
            this.closePlugin = closePlugin;
            return this;
        }

        /**
         * @param executor where futures are completed, so dependent callbacks run there instead of on the
         *                 owner thread; also the default executor of the futures' {@code *Async} methods.
         * @return this builder.
         */
        public Builder completionExecutor(final Executor executor)
        {
            this.completionExecutor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * @param mapper the Jackson mapper of the typed calls (default: snake_case, unknown properties ignored).
         * @return this builder.
         */
        public Builder objectMapper(final ObjectMapper mapper)
        {
            this.objectMapper = Objects.requireNonNull(mapper, "mapper must not be null");
            return this;
        }

        /**
         * Starts the owner thread.
         *
         * @return the running dispatcher.
         * @throws IllegalStateException when the plugin is already closed.
         */
        public PluginDispatcher build()
        {
            if (plugin.isClosed())
            {
                throw new IllegalStateException("plugin " + plugin.name() + " is closed");
            }
            return new PluginDispatcher(this);
        }
    }
}
