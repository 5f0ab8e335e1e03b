package dev.ringbridge.dispatcher;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serialises calls to one {@link NativePlugin} from any number of threads through an LMAX Disruptor
 * ring to one owner thread, the only thread that ever calls the plugin.
 *
 * <p><b>Calls.</b> Every kind of call (JSON text, JSON bytes, binary, typed) is described by a
 * {@link CallType} and goes through the same verbs: {@code submit} returns a {@link CallFuture},
 * {@code trySubmit} does so only if there is room, {@code call} waits for the result; each with or without a
 * timeout. {@link #submitAll} claims room for a list of calls at once. {@link #callRaw} calls a binary handler
 * with the caller's own memory and allocates nothing. Requests are encoded on the calling thread and results
 * decoded where they are read; the owner thread only copies bytes in and out of the plugin.
 *
 * <p><b>Options: deadlines and lanes.</b> {@code submit} and {@code call} also take {@link CallOptions}. A call
 * whose deadline (its own, or the builder's {@link DispatcherBuilder#defaultTimeout default}) has passed when the
 * owner thread reaches it is completed with a {@link DeadlineExceededException} without entering the plugin; a
 * cancelled future's call, or a blocking call whose caller stopped waiting, is skipped the same way if it has not
 * started. With a {@link DispatcherBuilder#highLane high lane}, calls with {@link Lane#HIGH} queue in a ring of
 * their own that the owner serves first, with a bound on how long normal calls wait behind it.
 *
 * <p><b>Backpressure.</b> Each lane accepts at most its {@link #capacity(Lane) capacity} of calls not yet finished.
 * When that many are, {@code submit} and {@code call} wait for room: interruptibly, optionally with a timeout, parked rather
 * than spinning (virtual threads unmount). {@code trySubmit} without a timeout never waits. On the owner thread
 * itself (in a callback) a submit that would wait is refused instead, as is any blocking wait for a result
 * there: the owner cannot wait for itself.
 *
 * <p><b>Results.</b> A plugin error completes the call with {@link PluginException} (code kept) and the
 * dispatcher carries on; after a panic the plugin is FAILED and later calls fail at once. Stages chained on a
 * future run on the owner thread unless {@link DispatcherBuilder#completionExecutor} names another place.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops intake, runs every call already accepted, then closes the
 * plugin. {@link #shutdownNow()} fails the calls not yet started instead of running them. Either way every
 * future ever handed out completes and waiting producers are released with a
 * {@link RejectedExecutionException}. Both are idempotent and safe from any thread, including the owner
 * thread (where they do not wait).
 *
 * <p>All methods are thread-safe.
 */
public final class PluginDispatcher implements Dispatcher
{
    private final NativePlugin plugin;
    private final PluginPort port;
    private final RingBuffer<CallEvent> ring;
    private final ClaimGate gate;
    private final CallHandler handler;
    /** The owner's loop: a BatchEventProcessor over the one ring, or a LaneProcessor over the lanes' rings. */
    private final BatchEventProcessor<CallEvent> processor;
    private final LaneProcessor laneProcessor;
    /** The high lane's ring, gate and writer; null without a high lane. */
    private final RingBuffer<CallEvent> highRing;
    private final ClaimGate highGate;
    private final RingWriter highWriter;
    private final DispatcherMetrics metrics;
    private final Thread owner;
    private final CompletionContext context;
    private final WaitMode waitMode;
    private final RingWriter writer;
    /** The builder's default deadline, for calls that set none; null when there is none. */
    private final CallOptions defaults;

    PluginDispatcher(final DispatcherBuilder builder)
    {
        this.plugin = builder.plugin;
        this.port = builder.port;
        this.waitMode = builder.waitMode;
        this.defaults = builder.defaultTimeout;
        final int capacity = builder.capacity;
        final boolean lanes = builder.highCapacity > 0;
        // One wait strategy for every ring: a publish to any lane signals the one owner.
        final ClockedWaitStrategy waitStrategy = new ClockedWaitStrategy(waitMode.newWaitStrategy());
        this.ring = RingBuffer.createMultiProducer(CallEvent::new, ringSize(capacity), waitStrategy);
        this.highRing = lanes ? RingBuffer.createMultiProducer(CallEvent::new, ringSize(builder.highCapacity), waitStrategy) : null;
        final OwnerClock clock = new OwnerClock();
        waitStrategy.attach(clock);
        this.gate = new ClaimGate(ring, capacity);
        this.highGate = lanes ? new ClaimGate(highRing, builder.highCapacity) : null;
        this.metrics = new DispatcherMetrics(builder.metrics, this::submittedCount, capacity + builder.highCapacity,
            builder.typeLimit);
        this.handler = new CallHandler(port, builder.closePlugin, gate, metrics, clock, this::haltOwner, lanes ? 2 : 1,
            builder.onPluginFailed);
        final Runnable loop;
        if (lanes)
        {
            this.processor = null;
            this.laneProcessor = new LaneProcessor(handler, highRing, highGate, ring, gate, builder.maxHighInARow, waitStrategy);
            loop = laneProcessor;
        }
        else
        {
            this.laneProcessor = null;
            this.processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
            processor.setExceptionHandler(new LoggingExceptionHandler());
            loop = processor;
        }
        this.owner = new Thread(loop, builder.threadName != null ? builder.threadName : "ringbridge-" + port.name());
        owner.setDaemon(builder.daemon);
        final long spin = builder.callerSpinNanos >= 0 ? builder.callerSpinNanos : waitMode.callerSpinNanos();
        this.context = new CompletionContext(owner, spin, builder.completionExecutor);
        this.writer = new RingWriter(ring, gate, metrics, owner);
        this.highWriter = lanes ? new RingWriter(highRing, highGate, metrics, owner) : null;
        owner.start();
    }

    /**
     * Starts building a dispatcher that owns {@code plugin}: from now on only the dispatcher's thread
     * should call it, and {@link #close()} closes it unless {@link DispatcherBuilder#closePlugin(boolean)} says otherwise.
     *
     * @param plugin the loaded plugin.
     * @return a builder.
     */
    public static DispatcherBuilder builder(final NativePlugin plugin)
    {
        return new DispatcherBuilder(plugin);
    }

    // ---- submit ----------------------------------------------------------------------------------

    /**
     * Submits a call, waiting while the ring is full.
     *
     * @param type    the call's descriptor.
     * @param request the request; encoded on this thread.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future.
     * @throws InterruptedException      when interrupted while waiting for room; nothing was submitted.
     * @throws RejectedExecutionException when the dispatcher is shut down, or on the owner thread when the ring is full.
     * @throws IllegalArgumentException   when the request cannot be encoded (named).
     */
    @Override
    public <Q, R> CallFuture<R> submit(final CallType<Q, R> type, final Q request) throws InterruptedException
    {
        final long budget = defaultBudget();
        final long deadline = RingWriter.deadlineAt(budget);
        final byte[] encoded = encode(type, request);
        return publish(writer, type, encoded, writer.claim(1, RingWriter.UNTIL_ROOM), deadline, budget);
    }

    /**
     * Submits a call with per-call options. With a deadline, the wait for room lasts at most until the deadline; a
     * call whose deadline passes before it got room never enters the ring, and its future completes with a
     * {@link DeadlineExceededException} (counted as rejected). One that got in is shed by the owner thread if its
     * deadline has passed when the owner reaches it.
     *
     * @param type    the call's descriptor.
     * @param request the request; encoded on this thread.
     * @param options the call's options; options without a deadline take the builder's default.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future.
     * @throws InterruptedException      when interrupted while waiting for room; nothing was submitted.
     * @throws RejectedExecutionException when the dispatcher is shut down, or on the owner thread when the ring is full.
     * @throws IllegalArgumentException   when the request cannot be encoded (named).
     */
    @Override
    public <Q, R> CallFuture<R> submit(final CallType<Q, R> type, final Q request, final CallOptions options)
        throws InterruptedException
    {
        final CallFuture<R> future = new CallFuture<>(context, type);
        offer(type, encode(type, request), options, future, true);
        return future;
    }

    /**
     * Submits a call with per-call options only if its lane has room now; never waits.
     *
     * @param type    the call's descriptor.
     * @param request the request; encoded on this thread.
     * @param options the call's options; options without a deadline take the builder's default.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future, or empty when the lane is full.
     * @throws RejectedExecutionException when the dispatcher is shut down.
     * @throws IllegalArgumentException   when the request cannot be encoded (named).
     */
    @Override
    public <Q, R> Optional<CallFuture<R>> trySubmit(final CallType<Q, R> type, final Q request, final CallOptions options)
    {
        final CallFuture<R> future = new CallFuture<>(context, type);
        try
        {
            return offer(type, encode(type, request), options, future, false) ? Optional.of(future) : Optional.empty();
        }
        catch (final InterruptedException cannotHappen)
        {
            throw new AssertionError("offer without waiting does not wait", cannotHappen);
        }
    }

    /**
     * Any thread: the one way an encoded call with options enters its lane. With a deadline, the wait for room lasts at
     * most until the deadline, and a call that got no room by then is completed with a {@link DeadlineExceededException}
     * instead of entering the ring.
     *
     * @param wait false to take room only if there is some now.
     * @return true when the call was published or completed; false only without {@code wait}, when the lane was full.
     */
    boolean offer(final CallType<?, ?> type, final byte[] encoded, final CallOptions options, final Completion completion,
        final boolean wait) throws InterruptedException
    {
        final RingWriter lane = writerFor(options);
        final long budget = budget(options);
        final long deadline = RingWriter.deadlineAt(budget);
        final long sequence;
        if (!wait)
        {
            sequence = lane.claimIfRoom();
            if (sequence < 0)
            {
                return false;
            }
        }
        else if (budget == CallOptions.NO_BUDGET)
        {
            sequence = lane.claim(1, RingWriter.UNTIL_ROOM);
        }
        else
        {
            sequence = lane.claim(1, Math.max(0, deadline - System.nanoTime()));
            if (sequence < 0)
            {
                completion.fail(new DeadlineExceededException(budget, System.nanoTime() - deadline));
                return true;
            }
        }
        lane.publish(sequence, type, encoded, completion, deadline, budget);
        return true;
    }

    /**
     * Submits a call, waiting at most {@code timeout} for room in the ring.
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
    @Override
    public <Q, R> CallFuture<R> submit(final CallType<Q, R> type, final Q request, final Duration timeout)
        throws InterruptedException, TimeoutException
    {
        final long budget = defaultBudget();
        final long deadline = RingWriter.deadlineAt(budget);
        final byte[] encoded = encode(type, request);
        final long sequence = writer.claim(1, timeout.toNanos());
        if (sequence < 0)
        {
            throw noRoom(writer, timeout);
        }
        return publish(writer, type, encoded, sequence, deadline, budget);
    }

    /**
     * Submits a call only if the ring has room now; never waits.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the call's future, or empty when the ring is full.
     * @throws RejectedExecutionException when the dispatcher is shut down.
     */
    @Override
    public <Q, R> Optional<CallFuture<R>> trySubmit(final CallType<Q, R> type, final Q request)
    {
        final long budget = defaultBudget();
        final long deadline = RingWriter.deadlineAt(budget);
        final byte[] encoded = encode(type, request);
        final long sequence = writer.claimIfRoom();
        return sequence < 0 ? Optional.empty() : Optional.of(publish(writer, type, encoded, sequence, deadline, budget));
    }

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
    @Override
    public <Q, R> Optional<CallFuture<R>> trySubmit(final CallType<Q, R> type, final Q request, final Duration timeout)
        throws InterruptedException
    {
        final long budget = defaultBudget();
        final long deadline = RingWriter.deadlineAt(budget);
        final byte[] encoded = encode(type, request);
        final long sequence = writer.claim(1, timeout.toNanos());
        return sequence < 0 ? Optional.empty() : Optional.of(publish(writer, type, encoded, sequence, deadline, budget));
    }

    /**
     * Submits a list of calls with one claim of room for all of them: they run back to back, in order.
     *
     * @param type     the calls' descriptor.
     * @param requests the requests, at most the normal lane's {@link #capacity(Lane) capacity}; all are encoded before any is submitted.
     * @param <Q>      the request type.
     * @param <R>      the response type.
     * @return one future per request, in order.
     * @throws InterruptedException     when interrupted while waiting for room; nothing was submitted.
     * @throws IllegalArgumentException when there are more requests than the capacity, or one cannot be encoded.
     */
    @Override
    public <Q, R> List<CallFuture<R>> submitAll(final CallType<Q, R> type, final List<? extends Q> requests)
        throws InterruptedException
    {
        Objects.requireNonNull(type, "call type must not be null");
        final int n = requests.size();
        final int room = capacity(Lane.NORMAL);
        if (n > room)
        {
            throw new IllegalArgumentException("a batch of " + n + " calls does not fit the normal lane's capacity of " + room);
        }
        if (n == 0)
        {
            return List.of();
        }
        final long budget = defaultBudget();
        final long deadline = RingWriter.deadlineAt(budget);
        final byte[][] encoded = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            encoded[i] = encode(type, requests.get(i));
        }
        @SuppressWarnings("unchecked")
        final CallFuture<R>[] futures = new CallFuture[n];
        for (int i = 0; i < n; i++)
        {
            futures[i] = new CallFuture<>(context, type);
        }
        writer.publishAll(writer.claim(n, RingWriter.UNTIL_ROOM), type, encoded, futures, deadline, budget);
        return Arrays.asList(futures);
    }

    // ---- call ------------------------------------------------------------------------------------

    /**
     * Makes a call and waits for its result, which is decoded on this thread. Allocates no future. The call has no
     * deadline, not even the builder's default: a wait without a timeout cannot report one; use
     * {@link #call(CallType, Object, CallOptions)} for that.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the result.
     * @throws PluginException       when the plugin answers with an error.
     * @throws InterruptedException  when interrupted while waiting (the call is skipped if it has not started; a
     *                               started call runs to its end and its result is dropped).
     * @throws IllegalStateException on the owner thread, which cannot wait for itself.
     */
    @Override
    public <Q, R> R call(final CallType<Q, R> type, final Q request) throws PluginException, InterruptedException
    {
        context.checkNotOwner();
        final byte[] encoded = encode(type, request);
        final long sequence = writer.claim(1, RingWriter.UNTIL_ROOM);
        final BlockingCall completion = BlockingCall.forCurrentThread();
        writer.publish(sequence, type, encoded, completion, CallEvent.NO_DEADLINE, 0);
        return completion.await(type, context);
    }

    /**
     * Makes a call and waits at most {@code timeout} in all, for room and for the result. The timeout is also the
     * call's deadline in the ring: when the owner thread reaches the call after it, the call is shed without
     * entering the plugin ({@link DeadlineExceededException}), and when the caller's wait runs out first the call is
     * cancelled, so the owner skips it if it has not started. A call that started runs to its end (native code
     * cannot be interrupted); its result is dropped. Same as {@code call(type, request, CallOptions.timeout(timeout))}.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param timeout the longest wait.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the result.
     * @throws PluginException      when the plugin answers with an error.
     * @throws TimeoutException     when the time ran out: no room in time, no answer in time, or shed by the owner
     *                              ({@link DeadlineExceededException}).
     * @throws InterruptedException when interrupted while waiting.
     */
    @Override
    public <Q, R> R call(final CallType<Q, R> type, final Q request, final Duration timeout)
        throws PluginException, InterruptedException, TimeoutException
    {
        context.checkNotOwner();
        final long budget = timeout.toNanos();
        return callUntil(writer, type, request, RingWriter.deadlineAt(budget), budget);
    }

    /**
     * Makes a call with per-call options and waits for its result. With a deadline (its own or the builder's
     * default) this is {@link #call(CallType, Object, Duration)}: it waits for room and result at most until the
     * deadline, the owner sheds the call if it reaches it later, and a caller that stops waiting cancels it. Without
     * one it waits as {@link #call(CallType, Object)} does.
     *
     * @param type    the call's descriptor.
     * @param request the request.
     * @param options the call's options.
     * @param <Q>     the request type.
     * @param <R>     the response type.
     * @return the result.
     * @throws PluginException      when the plugin answers with an error.
     * @throws TimeoutException     when the deadline passed: no room in time, no answer in time, or shed by the owner
     *                              ({@link DeadlineExceededException}).
     * @throws InterruptedException when interrupted while waiting.
     */
    @Override
    public <Q, R> R call(final CallType<Q, R> type, final Q request, final CallOptions options)
        throws PluginException, InterruptedException, TimeoutException
    {
        final RingWriter lane = writerFor(options);
        final long budget = budget(options);
        context.checkNotOwner();
        if (budget == CallOptions.NO_BUDGET)
        {
            final byte[] encoded = encode(type, request);
            final long sequence = lane.claim(1, RingWriter.UNTIL_ROOM);
            final BlockingCall completion = BlockingCall.forCurrentThread();
            lane.publish(sequence, type, encoded, completion, CallEvent.NO_DEADLINE, 0);
            return completion.await(type, context);
        }
        return callUntil(lane, type, request, RingWriter.deadlineAt(budget), budget);
    }

    private <Q, R> R callUntil(final RingWriter lane, final CallType<Q, R> type, final Q request, final long deadline,
        final long budget) throws PluginException, InterruptedException, TimeoutException
    {
        final byte[] encoded = encode(type, request);
        final long sequence = lane.claim(1, Math.max(0, deadline - System.nanoTime()));
        if (sequence < 0)
        {
            throw noRoom(lane, Duration.ofNanos(budget));
        }
        final BlockingCall completion = BlockingCall.forCurrentThread();
        lane.publish(sequence, type, encoded, completion, deadline, budget);
        return completion.await(type, context, Math.max(1, deadline - System.nanoTime()));
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
    @Override
    public long callRaw(final int messageId, final MemorySegment request, final MemorySegment response)
        throws PluginException, InterruptedException
    {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(response, "response must not be null");
        if (!port.hasBinaryTransport())
        {
            throw new UnsupportedOperationException("plugin " + port.name() + " has no binary transport");
        }
        context.checkNotOwner();
        final long sequence = writer.claim(1, RingWriter.UNTIL_ROOM);
        final BlockingCall completion = BlockingCall.forCurrentThread();
        writer.publishSegments(sequence, messageId, request, response, completion);
        return completion.awaitLength(context);
    }

    // ---- state -----------------------------------------------------------------------------------

    /**
     * Returns the most calls accepted and not yet finished, exactly as configured, over both lanes.
     *
     * @return the most calls accepted and not yet finished, over both lanes.
     */
    @Override
    public int capacity()
    {
        return capacity(Lane.NORMAL) + capacity(Lane.HIGH);
    }

    /**
     * Returns calls accepted and not yet finished (queued or running), over both lanes.
     *
     * @return calls accepted and not yet finished (queued or running).
     */
    @Override
    public long pendingCount()
    {
        return metrics.pendingCount();
    }

    @Override
    public int capacity(final Lane lane)
    {
        final ClaimGate laneGate = gateOf(lane);
        return laneGate == null ? 0 : laneGate.capacity();
    }

    @Override
    public long pendingCount(final Lane lane)
    {
        final ClaimGate laneGate = gateOf(lane);
        if (laneGate == null)
        {
            return 0;
        }
        // Two reads a moment apart, each exact: the lane's claims and the owner's releases of that lane.
        return Math.max(0, submittedTo(lane == Lane.HIGH ? highRing : ring, laneGate) - laneGate.finishedCount());
    }

    /** The gate of a lane; null for the high lane of a dispatcher without one. */
    private ClaimGate gateOf(final Lane lane)
    {
        return Objects.requireNonNull(lane, "lane must not be null") == Lane.NORMAL ? gate : highGate;
    }

    /**
     * Returns this dispatcher's metrics.
     *
     * @return this dispatcher's metrics.
     */
    public DispatcherMetrics metrics()
    {
        return metrics;
    }

    @Override
    public MetricsSnapshot totalMetrics()
    {
        return metrics.total();
    }

    /**
     * Returns the owner thread, the only thread that calls the plugin.
     *
     * @return the owner thread, the only thread that calls the plugin.
     */
    public Thread ownerThread()
    {
        return owner;
    }

    /**
     * Returns the wait mode the dispatcher was built with.
     *
     * @return the wait mode the dispatcher was built with.
     */
    public WaitMode waitMode()
    {
        return waitMode;
    }

    /**
     * Returns the plugin this dispatcher owns.
     *
     * @return the plugin this dispatcher owns.
     */
    public NativePlugin plugin()
    {
        return plugin;
    }

    /**
     * Returns true once {@link #close()} or {@link #shutdownNow()} has begun.
     *
     * @return true once {@link #close()} or {@link #shutdownNow()} has begun.
     */
    @Override
    public boolean isShutdown()
    {
        return gate.isClosed();
    }

    /**
     * Returns true once the owner thread has finished every call and released the plugin.
     *
     * @return true once the owner thread has finished every call and released the plugin.
     */
    @Override
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
    @Override
    public boolean awaitTermination(final Duration timeout) throws InterruptedException
    {
        return handler.terminated().await(timeout.toNanos(), TimeUnit.NANOSECONDS);
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
     * Stops intake, fails every accepted call that has not started with a {@link RejectedExecutionException},
     * lets the running call finish, closes the plugin and waits (except on the owner thread). Idempotent; may
     * follow {@link #close()} to escalate.
     */
    @Override
    public void shutdownNow()
    {
        handler.discardPending();
        shutdown();
    }

    private void shutdown()
    {
        final boolean onOwner = Thread.currentThread() == owner;
        if (highGate != null)
        {
            highGate.close(onOwner);
        }
        gate.close(onOwner);
        if (!onOwner)
        {
            awaitUninterruptibly(handler.terminated());
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    CompletionContext context()
    {
        return context;
    }

    private static int ringSize(final int capacity)
    {
        return capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
    }

    private void haltOwner()
    {
        if (processor != null)
        {
            processor.halt();
        }
        else
        {
            laneProcessor.halt();
        }
    }

    private long submittedCount()
    {
        return highRing == null ? submittedTo(ring, gate) : submittedTo(ring, gate) + submittedTo(highRing, highGate);
    }

    private static long submittedTo(final RingBuffer<CallEvent> lane, final ClaimGate laneGate)
    {
        final long stop = laneGate.stopSequence();
        final long claimed = lane.getCursor() + 1;
        return (stop >= 0 ? Math.min(claimed, stop) : claimed) - laneGate.firstCallSequence();
    }

    private <R> CallFuture<R> publish(final RingWriter lane, final CallType<?, R> type, final byte[] encoded,
        final long sequence, final long deadline, final long budget)
    {
        final CallFuture<R> future = new CallFuture<>(context, type);
        lane.publish(sequence, type, encoded, future, deadline, budget);
        return future;
    }

    /** The writer of the options' lane. */
    private RingWriter writerFor(final CallOptions options)
    {
        if (Objects.requireNonNull(options, "options must not be null").lane() == Lane.NORMAL)
        {
            return writer;
        }
        if (highWriter == null)
        {
            throw new IllegalArgumentException("this dispatcher has no high lane; build it with highLane(capacity, maxHighInARow)");
        }
        return highWriter;
    }

    /** Caller thread: the time until the deadline of a call without options of its own. */
    private long defaultBudget()
    {
        return defaults == null ? CallOptions.NO_BUDGET : defaults.budgetNanos(null);
    }

    private long budget(final CallOptions options)
    {
        return Objects.requireNonNull(options, "options must not be null").budgetNanos(defaults);
    }

    private static TimeoutException noRoom(final RingWriter lane, final Duration timeout)
    {
        return new TimeoutException("no room in the ring (capacity " + lane.capacity() + ") within " + timeout.toMillis() + " ms");
    }

    /** Caller's thread: validation and encoding never reach the owner. */
    private static <Q> byte[] encode(final CallType<Q, ?> type, final Q request)
    {
        return Objects.requireNonNull(type, "call type must not be null").encode(request);
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
}
