package dev.ringbridge.dispatcher;

import com.lmax.disruptor.EventHandler;
import dev.ringbridge.ffi.ErrorKind;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;

/**
 * The owner thread's side of the ring: the only code that ever calls the plugin, and the one serial
 * resource of the dispatcher, so it does only what must be serialised. For each call it copies the slot
 * into locals and clears it, copies the request into its session's native scratch, makes the native call,
 * copies the answer out undecoded, frees the plugin's buffer, gives the call's room back and completes the
 * caller's future with the bytes. Encoding, validation and decoding happen on the callers' threads.
 *
 * <p>Before the native call the owner checks the call's deadline (one comparison with the clock reading it makes for
 * the metrics anyway) and its completion's state (one volatile read): an expired call is completed with a
 * {@link DeadlineExceededException} and a cancelled one dropped, neither entering the plugin. With a high lane the
 * {@link LaneProcessor} hands it events of both rings, each with its own gate.
 *
 * <p>Nothing thrown by the plugin, the session or a completion escapes {@code onEvent}: an escaping exception
 * would kill this thread and leave producers blocked on a full ring.
 *
 * <p>Every field but {@link #discard} is touched only by the owner thread.
 */
final class CallHandler implements EventHandler<CallEvent>
{
    private static final System.Logger LOGGER = System.getLogger(CallHandler.class.getName());

    private final PluginPort plugin;
    private final boolean closePlugin;
    private final ClaimGate gate;
    private final DispatcherMetrics metrics;
    private final boolean timed;
    /** The owner's clock: one reading per call, plus one after each wait. */
    private final OwnerClock clock;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Runnable halt;
    /** Runs once, on this thread, after the call that left the plugin FAILED; null when nobody asked. */
    private final Runnable onPluginFailed;

    private static final int PANIC = ErrorKind.INTERNAL.code();

    private boolean failureReported;
    private Throwable startFailure;
    private boolean stopped;
    /** STOP events still to come: one per lane; the plugin is released after the last. Owner thread only. */
    private int stopsToCome;
    /** Set by shutdownNow on any thread (volatile store); read by the owner thread before each call. */
    private volatile boolean discard;

    /**
     * @param gate  the gate of the ring {@link #onEvent} serves (the normal lane when there are lanes).
     * @param lanes how many rings feed this handler, each ending with its own STOP.
     */
    CallHandler(final PluginPort plugin, final boolean closePlugin, final ClaimGate gate, final DispatcherMetrics metrics,
        final OwnerClock clock, final Runnable halt, final int lanes, final Runnable onPluginFailed)
    {
        this.onPluginFailed = onPluginFailed;
        this.stopsToCome = lanes;
        this.clock = clock;
        this.plugin = plugin;
        this.closePlugin = closePlugin;
        this.gate = gate;
        this.metrics = metrics;
        this.timed = metrics.latencyEnabled();
        this.halt = halt;
    }

    @Override
    public void onStart()
    {
        try
        {
            plugin.open();
        }
        catch (final Throwable t)
        {
            // Every call will fail with this cause; the thread must stay up to drain the ring.
            startFailure = t;
            LOGGER.log(System.Logger.Level.ERROR, "ringbridge owner thread could not open its plugin session", t);
        }
        final FlightEvents.DispatcherStart started = new FlightEvents.DispatcherStart();
        if (started.shouldCommit())
        {
            started.plugin = plugin.name();
            started.capacity = metrics.capacity();
            started.opened = startFailure == null;
            started.commit();
        }
        // Read after opening: calls submitted while the plugin opened count that time as queue wait, not service.
        clock.set(System.nanoTime());
    }

    @Override
    public void onEvent(final CallEvent event, final long sequence, final boolean endOfBatch)
    {
        handle(event, sequence, endOfBatch, gate);
    }

    /** One event of the ring that {@code ringGate} guards: a call, the slack, or that ring's STOP. */
    void handle(final CallEvent event, final long sequence, final boolean endOfBatch, final ClaimGate ringGate)
    {
        final byte kind = event.kind;
        if (stopped || kind == CallEvent.NOOP)
        {
            // Behind STOP: the producer rejects its own call. NOOP: the ring's slack, published at start.
            return;
        }
        if (kind == CallEvent.STOP)
        {
            event.clear();
            if (--stopsToCome == 0)
            {
                stop();
            }
            return;
        }
        final MemorySegment typeTag = event.typeTag;
        final int messageId = event.messageId;
        final Object request = event.request;
        final MemorySegment response = event.response;
        final Completion completion = event.completion;
        final int typeId = event.typeId;
        final long submitNanos = event.submitNanos;
        final long deadlineNanos = event.deadlineNanos;
        event.clear();

        final long startNanos = timed ? clock.get() : 0;
        if (expired(startNanos, deadlineNanos) || completion.isCancelled())
        {
            skip(ringGate, sequence, endOfBatch, completion, deadlineNanos, event.budgetNanos);
            return;
        }
        byte[] body = null;
        long length = 0;
        int code = 0;
        Throwable failure = null;
        try
        {
            checkRunnable();
            if (kind == CallEvent.JSON)
            {
                body = plugin.exchange(typeTag, (byte[])request);
                code = plugin.lastErrorCode();
            }
            else if (kind == CallEvent.BINARY)
            {
                body = plugin.exchangeRaw(messageId, (byte[])request);
                code = plugin.lastErrorCode();
            }
            else
            {
                length = plugin.exchangeRaw(messageId, (MemorySegment)request, response);
                if (length < 0)
                {
                    body = plugin.lastErrorBody();
                    code = plugin.lastErrorCode();
                }
            }
        }
        catch (final Throwable t)
        {
            failure = t;
        }
        final long endNanos;
        if (timed)
        {
            endNanos = System.nanoTime();
            clock.set(endNanos);
        }
        else
        {
            endNanos = 0;
        }

        // JFR's call event: one comparison with the serviceThreshold of the running recordings (FlightEvents).
        if (timed && endNanos - startNanos >= FlightEvents.ServiceThreshold.nanos)
        {
            recordSlowCall(typeId, startNanos - submitNanos, endNanos - startNanos, failure, code);
        }
        if (code == PANIC && !failureReported && plugin.isFailed())
        {
            reportFailure(typeId);
        }
        // Give the room back before completing, so a callback that submits finds it.
        ringGate.release(sequence);
        metrics.recordCall(submitNanos, startNanos, endNanos, typeId, failure == null ? code : DispatcherMetrics.HOST_FAILURE);
        flushIfRingEmpty(ringGate, sequence, endOfBatch);
        try
        {
            if (failure != null)
            {
                completion.fail(failure);
            }
            else if (body != null)
            {
                completion.deliver(code, body);
            }
            else
            {
                completion.deliverLength(length);
            }
        }
        catch (final Throwable t)
        {
            logCompletionFailure(t);
        }
        if (endOfBatch)
        {
            ringGate.endOfBatch();
        }
    }

    /**
     * The deadline check: with metrics on, one comparison with the clock reading the owner makes for the metrics
     * anyway (every call has a deadline then, far off when it set none). That reading is the end of the previous
     * call or of the last wait, so it may be early by the owner's hand-off since (the previous call's completion
     * and any stage it ran here): a call may be started slightly after its deadline, never shed before it. With
     * metrics off, a call without a deadline costs a comparison with a constant; one with a deadline reads the clock.
     */
    private boolean expired(final long lastReading, final long deadlineNanos)
    {
        if (timed)
        {
            return lastReading - deadlineNanos > 0;
        }
        return deadlineNanos != CallEvent.NO_DEADLINE && System.nanoTime() - deadlineNanos > 0;
    }

    /** A call not to be started: its deadline passed or its caller cancelled it. The plugin is not entered. */
    private void skip(final ClaimGate ringGate, final long sequence, final boolean endOfBatch, final Completion completion, final long deadlineNanos,
        final long budgetNanos)
    {
        final long now = System.nanoTime();
        ringGate.release(sequence);
        final boolean cancelled = completion.isCancelled();
        metrics.recordSkipped(cancelled);
        flushIfRingEmpty(ringGate, sequence, endOfBatch);
        if (!cancelled)
        {
            try
            {
                completion.fail(new DeadlineExceededException(budgetNanos, now - deadlineNanos));
            }
            catch (final Throwable t)
            {
                logCompletionFailure(t);
            }
        }
        if (timed)
        {
            // A fresh reading for the next call, which would otherwise count this one's completion as its service.
            clock.set(System.nanoTime());
        }
        if (endOfBatch)
        {
            ringGate.endOfBatch();
        }
    }

    /** A call that reached the JFR call event's threshold: an event, if a recording enables it. */
    private void recordSlowCall(final int typeId, final long queueWait, final long serviceTime, final Throwable failure,
        final int code)
    {
        final FlightEvents.Call recorded = new FlightEvents.Call();
        recorded.serviceTime = serviceTime;
        if (recorded.shouldCommit())
        {
            recorded.plugin = plugin.name();
            recorded.type = TypeIds.nameOf(typeId);
            recorded.queueWait = queueWait;
            recorded.outcome = failure != null ? "host error" : code == 0 ? "success" : "plugin error";
            recorded.errorCode = code;
            recorded.commit();
        }
    }

    private void reportFailure(final int typeId)
    {
        failureReported = true;
        final FlightEvents.PluginFailed recorded = new FlightEvents.PluginFailed();
        if (recorded.shouldCommit())
        {
            recorded.plugin = plugin.name();
            recorded.type = TypeIds.nameOf(typeId);
            recorded.commit();
        }
        if (onPluginFailed == null)
        {
            return;
        }
        try
        {
            onPluginFailed.run();
        }
        catch (final Throwable t)
        {
            LOGGER.log(System.Logger.Level.ERROR, "the onPluginFailed action of plugin " + plugin.name() + " threw", t);
        }
    }

    private void flushIfRingEmpty(final ClaimGate ringGate, final long sequence, final boolean endOfBatch)
    {
        if (endOfBatch && ringGate.isLastClaimed(sequence))
        {
            // The owner is about to wait: hand the latencies over now, before completing, so a caller that has its
            // result sees its call in the histograms. A busy owner hands them over every few dozen calls.
            metrics.flush();
        }
    }

    private static void logCompletionFailure(final Throwable t)
    {
        // A stage's dependents run inside its completion and CompletableFuture catches their exceptions itself;
        // anything reaching here is a bug in a Completion. Log it, keep the owner thread alive.
        LOGGER.log(System.Logger.Level.ERROR, "completing a ringbridge call threw", t);
    }

    private void checkRunnable()
    {
        if (discard)
        {
            throw new RejectedExecutionException("the plugin dispatcher was shut down (shutdownNow) before this call started");
        }
        if (startFailure != null)
        {
            throw new IllegalStateException(plugin.isClosed()
                ? "plugin " + plugin.name() + " was closed before the dispatcher's owner thread could open it"
                : "the dispatcher's owner thread could not open plugin " + plugin.name(), startFailure);
        }
    }

    void discardPending()
    {
        discard = true;
    }

    CountDownLatch terminated()
    {
        return terminated;
    }

    private void stop()
    {
        stopped = true;
        metrics.flush();
        final FlightEvents.DispatcherStop recorded = new FlightEvents.DispatcherStop();
        if (recorded.shouldCommit())
        {
            recorded.plugin = plugin.name();
            recorded.finished = metrics.finishedCount();
            recorded.commit();
        }
        try
        {
            plugin.release(closePlugin);
        }
        catch (final Throwable t)
        {
            LOGGER.log(System.Logger.Level.WARNING, "closing the plugin at dispatcher shutdown failed", t);
        }
        finally
        {
            terminated.countDown();
            halt.run();
        }
    }
}
