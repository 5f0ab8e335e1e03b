package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.Caller;
import dev.ringbridge.bench.contender.Contender;
import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * The worker-side cost of a call: how long the thread that owns the plugin spends per call when it
 * has a full queue in front of it and no producer in its way, against a direct call of the same session
 * method on that same thread. The difference is the hand-off's cost on the worker: taking the call off
 * the queue, giving its room back, recording metrics and completing the future.
 *
 * <p>One round: a 1 ms {@code sleep} call holds the worker while this thread queues {@code calls} more.
 * When the sleep ends, a completion callback on it makes {@code calls} direct calls on the worker
 * (timed); then the worker runs the queued calls, timed from the end of the first to the end of the last
 * ({@code calls - 1} calls back to back). Both halves run on one thread, moments apart, so they see the
 * same machine (this VM's speed drifts by tens of percent from one second to the next, and a second busy
 * core slows the first). A round whose calls were not all queued before the sleep ended is discarded
 * (after three such rounds the hold becomes 10 ms, for a busy machine). The results are medians over the
 * rounds; the first rounds only warm up.
 */
public final class HandlerCostRun
{
    private HandlerCostRun()
    {
    }

    /**
     * @param contender an asynchronous contender; its capacity must exceed {@code calls}.
     * @param plugin    the plugin, for the direct calls.
     * @param workload  the call.
     * @param calls     calls per round.
     * @param rounds    measured rounds.
     * @return the worker's and the direct call's median time per call, and the median overhead.
     * @throws Exception when a call fails or too many rounds are discarded.
     */
    public static ScenarioResult run(final Contender contender, final NativePlugin plugin, final Workload workload,
        final int calls, final int rounds) throws Exception
    {
        if (contender.kind().synchronous())
        {
            throw new IllegalArgumentException(contender.label() + " has no worker thread to measure");
        }
        final double[] worker = new double[rounds];
        final double[] direct = new double[rounds];
        final double[] overhead = new double[rounds];
        final DirectLoop directLoop = new DirectLoop(plugin, workload, calls);
        try (Caller shortHold = contender.open(Workload.SLEEP_1MS);
             Caller longHold = contender.open(Workload.SLEEP_10MS);
             Caller caller = contender.open(workload))
        {
            int taken = -Math.max(3, rounds / 4);
            int missed = 0;
            for (int attempt = 0; taken < rounds; attempt++)
            {
                if (attempt > 4 * rounds + 20)
                {
                    throw new IllegalStateException("could not queue " + calls + " calls while the worker was held in most rounds");
                }
                // A loaded machine may not queue a round within 1 ms; after a few misses, hold the worker for 10 ms.
                final double[] sample = roundOnce(missed < 3 ? shortHold : longHold, caller, directLoop, calls);
                if (sample == null)
                {
                    missed++;
                    continue;
                }
                if (taken >= 0)
                {
                    worker[taken] = sample[0];
                    direct[taken] = sample[1];
                    overhead[taken] = sample[0] - sample[1];
                }
                taken++;
            }
        }
        final ScenarioResult.WorkerCost cost = new ScenarioResult.WorkerCost(median(worker), median(direct), median(overhead));
        return new ScenarioResult(Measure.HANDLER_COST, contender.kind(), contender.label(), workload, 1, Double.NaN, Double.NaN,
            1e9 / cost.nanosPerCall(), null, Double.NaN, Double.NaN, null, null, cost);
    }

    /**
     * One round; all four clock readings are taken on the worker thread. A callback on the hold call runs
     * the direct calls there, right before the worker turns to the queued calls; callbacks on the first
     * and the last queued call time those. An observer spinning on another thread could be descheduled
     * (two cores, JIT and GC threads) and see an end late or a start never, and a direct loop on another
     * thread would run while a spinning owner competes with it for the machine.
     *
     * @return the worker's and the direct time per call, or null when the calls were not all queued in time.
     */
    private static double[] roundOnce(final Caller hold, final Caller caller, final DirectLoop directLoop, final int calls)
        throws Exception
    {
        final long[] stamps = new long[4];
        final Future<?> held = hold.submit();
        final CompletableFuture<?> directDone = stage(held).thenRun(() -> directLoop.time(stamps)).toCompletableFuture();
        final CompletableFuture<?> firstDone = stage(caller.submit())
            .whenComplete((result, failure) -> stamps[0] = System.nanoTime()).toCompletableFuture();
        Future<?> last = null;
        for (int i = 1; i < calls; i++)
        {
            last = caller.submit();
        }
        final CompletableFuture<?> lastDone = stage(last)
            .whenComplete((result, failure) -> stamps[1] = System.nanoTime()).toCompletableFuture();
        // Every callback must have been attached while the worker was still held, or one ran on this thread.
        final boolean queuedInTime = !held.isDone();
        // Waiting on the dependent futures orders the worker's writes of the stamps before these reads.
        directDone.get();
        firstDone.get();
        lastDone.get();
        return queuedInTime
            ? new double[] {(double)(stamps[1] - stamps[0]) / (calls - 1), (double)(stamps[3] - stamps[2]) / calls}
            : null;
    }

    /**
     * The direct calls, run by the worker thread inside a completion callback, through a session the
     * worker opens for them: the same session method the worker runs for {@code submit} / {@code submitRaw}.
     */
    private static final class DirectLoop
    {
        private final NativePlugin plugin;
        private final Workload workload;
        private final int calls;
        private final byte[] binaryRequest = Workload.binaryRequest();

        DirectLoop(final NativePlugin plugin, final Workload workload, final int calls)
        {
            this.plugin = plugin;
            this.workload = workload;
            this.calls = calls;
        }

        /** Worker thread: writes the start and end readings into {@code stamps[2]} and {@code stamps[3]}. */
        void time(final long[] stamps)
        {
            try (CallSession session = plugin.openSession())
            {
                stamps[2] = System.nanoTime();
                for (int i = 0; i < calls; i++)
                {
                    if (workload.binary())
                    {
                        session.callRaw(Workload.BINARY_MESSAGE_ID, binaryRequest);
                    }
                    else
                    {
                        session.call(workload.typeTag(), workload.json());
                    }
                }
                stamps[3] = System.nanoTime();
            }
            catch (final PluginException e)
            {
                throw new CompletionException(e);
            }
        }
    }

    /** Asynchronous contenders' futures are stages too (a {@code CompletableFuture}, or ringbridge's {@code CallFuture}). */
    private static CompletionStage<?> stage(final Future<?> future)
    {
        return (CompletionStage<?>)future;
    }

    private static double median(final double[] samples)
    {
        final double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
