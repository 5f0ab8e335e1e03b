package dev.ringbridge.dispatcher;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The owner thread's side of the ring: the only code that ever calls the plugin.
 *
 * <p>For each event it copies the slot into locals and clears it, makes the native call through its
 * own {@link CallSession} (no arena, no native allocation per call), hands the slot and its room back
 * to producers, records the latencies and then completes the caller's future. Nothing thrown by the
 * plugin, the session or a caller's callback escapes {@code onEvent}: an escaping exception would
 * kill this thread and leave producers blocked on a full ring.
 *
 * <p>Every field but {@link #discard} is touched only by the owner thread.
 */
final class CallHandler implements EventHandler<CallEvent>
{
    private static final System.Logger LOGGER = System.getLogger(CallHandler.class.getName());

    private final NativePlugin plugin;
    private final boolean closePlugin;
    private final ClaimGate gate;
    private final DispatcherMetrics metrics;
    private final Executor completionExecutor;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Runnable halt;

    private Sequence sequenceCallback;
    private CallSession session;
    private Throwable startFailure;
    /** Set by shutdownNow on any thread; read by the owner thread before each call. */
    private volatile boolean discard;

    CallHandler(
        final NativePlugin plugin, final boolean closePlugin, final ClaimGate gate, final DispatcherMetrics metrics,
        final Executor completionExecutor, final Runnable halt)
    {
        this.plugin = plugin;
        this.closePlugin = closePlugin;
        this.gate = gate;
        this.metrics = metrics;
        this.completionExecutor = completionExecutor;
        this.halt = halt;
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.sequenceCallback = sequenceCallback;
    }

    @Override
    public void onStart()
    {
        try
        {
            session = plugin.openSession();
        }
        catch (final Throwable t)
        {
            // Every call will fail with this cause; the thread must stay up to drain the ring.
            startFailure = t;
            LOGGER.log(System.Logger.Level.ERROR, "ringbridge owner thread could not open its plugin session", t);
        }
    }

    @Override
    public void onEvent(final CallEvent event, final long sequence, final boolean endOfBatch)
    {
        final CallKind kind = event.kind;
        if (kind == CallKind.STOP)
        {
            event.clear();
            stop();
            return;
        }
        final String typeTag = event.typeTag;
        final Object request = event.request;
        final int messageId = event.messageId;
        final MemorySegment response = event.response;
        final Completion completion = event.completion;
        final long submitNanos = event.submitNanos;
        event.clear();

        final boolean timed = metrics.latencyEnabled();
        final long startNanos = timed ? System.nanoTime() : 0;
        Object result = null;
        long length = 0;
        Throwable failure = null;
        try
        {
            if (kind == CallKind.RAW_SEGMENTS)
            {
                // The zero-allocation path: no boxed result.
                checkRunnable();
                length = session.callRaw(messageId, (MemorySegment)request, response);
            }
            else
            {
                result = execute(kind, typeTag, request, messageId);
            }
        }
        catch (final Throwable t)
        {
            failure = t;
        }
        final long endNanos = timed ? System.nanoTime() : 0;

        // Give the slot and its room back before completing, so a callback that submits finds room.
        sequenceCallback.set(sequence);
        gate.release();
        metrics.recordCall(submitNanos, startNanos, endNanos, failure == null);
        if (kind == CallKind.RAW_SEGMENTS && failure == null)
        {
            completion.succeed(length);
        }
        else
        {
            complete(completion, result, failure);
        }
    }

    private Object execute(final CallKind kind, final String typeTag, final Object request, final int messageId)
        throws Exception
    {
        checkRunnable();
        return switch (kind)
        {
            case JSON_TEXT -> session.call(typeTag, (String)request);
            case JSON_BYTES -> session.call(typeTag, (byte[])request);
            case RAW_BYTES -> session.callRaw(messageId, (byte[])request);
            case RAW_SEGMENTS, STOP -> throw new IllegalStateException(kind + " is handled before execute");
        };
    }

    private void checkRunnable()
    {
        if (discard)
        {
            throw new RejectedExecutionException("the plugin dispatcher was shut down (shutdownNow) before this call started");
        }
        if (startFailure != null)
        {
            throw new IllegalStateException("the dispatcher's owner thread could not open the plugin", startFailure);
        }
    }

    private void complete(final Completion completion, final Object result, final Throwable failure)
    {
        if (completionExecutor == null)
        {
            completeHere(completion, result, failure);
            return;
        }
        try
        {
            completionExecutor.execute(() -> completeHere(completion, result, failure));
        }
        catch (final Throwable t)
        {
            // The executor refused: the future must still complete, so do it here.
            completeHere(completion, result, failure);
        }
    }

    private static void completeHere(final Completion completion, final Object result, final Throwable failure)
    {
        try
        {
            if (failure == null)
            {
                completion.succeed(result);
            }
            else
            {
                completion.fail(failure);
            }
        }
        catch (final Throwable t)
        {
            // CompletableFuture runs dependents inside complete and catches their exceptions itself;
            // anything reaching here is a bug in a Completion. Log it, keep the owner thread alive.
            LOGGER.log(System.Logger.Level.ERROR, "completing a ringbridge call threw", t);
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
        try
        {
            if (session != null)
            {
                session.close();
            }
            if (closePlugin)
            {
                plugin.close();
            }
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
