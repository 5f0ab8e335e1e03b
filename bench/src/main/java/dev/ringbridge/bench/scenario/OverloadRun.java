package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.Caller;
import dev.ringbridge.bench.contender.Contender;
import dev.ringbridge.dispatcher.DeadlineExceededException;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Overload: one pacing thread offers calls at a constant rate above what the plugin can serve, as
 * {@link ConstantRateRun} does (latency from each call's intended send time, free of coordinated omission), and
 * sorts what became of each: answered within the deadline (goodput), answered late, or shed (failed with a
 * {@link DeadlineExceededException}, by a contender whose calls carry the deadline). The latency histogram holds
 * the answered calls only.
 */
public final class OverloadRun
{
    /** Outstanding calls the pacer can track; above any queue capacity used here. */

    private OverloadRun()
    {
    }

    /**
     * @param contender the running contender.
     * @param workload  the call.
     * @param rate      offered calls per second.
     * @param deadline  the deadline answered calls are judged by.
     * @param warmup    unmeasured time first, at the same rate.
     * @param measure   measured time.
     * @return goodput (calls/s), the answered calls' latency, and the fate of the rest.
     * @throws Exception when a call fails other than by its deadline.
     */
    public static ScenarioResult run(final Contender contender, final Workload workload, final double rate, final Duration deadline,
        final Duration warmup, final Duration measure) throws Exception
    {
        final Pacer pacer = new Pacer(1e9 / rate, deadline.toNanos(), warmup.toNanos(), measure.toNanos());
        new ProducerThreads("overload", 1, (index, ready) ->
        {
            try (Caller caller = contender.open(workload))
            {
                ready.run();
                pacer.run(caller);
            }
        }).start().join();
        final double seconds = measure.toNanos() / 1e9;
        final ScenarioResult.Overload overload = new ScenarioResult.Overload(deadline.toNanos() / 1e6, pacer.good / seconds,
            pacer.late / seconds, pacer.shed / seconds);
        return new ScenarioResult(Measure.OVERLOAD, contender.kind(), contender.label(), workload, 1, 2.0, rate,
            pacer.good / seconds, pacer.latency.getTotalCount(), pacer.latency, Double.NaN, Double.NaN, null, null, null,
            List.of(), overload);
    }

    /** The pacing loop; every field is touched only by the pacing thread (read by the caller after join). */
    private static final class Pacer
    {
        private final double intervalNanos;
        private final long deadlineNanos;
        private final long warmupNanos;
        private final long measureNanos;
        private final Histogram latency = new Histogram(3);
        private final OutstandingCalls outstanding = new OutstandingCalls(this::seen);
        private long measureStart;
        private long good;
        private long late;
        private long shed;

        Pacer(final double intervalNanos, final long deadlineNanos, final long warmupNanos, final long measureNanos)
        {
            this.intervalNanos = intervalNanos;
            this.deadlineNanos = deadlineNanos;
            this.warmupNanos = warmupNanos;
            this.measureNanos = measureNanos;
        }

        void run(final Caller caller) throws Exception
        {
            final long origin = System.nanoTime();
            measureStart = origin + warmupNanos;
            final long end = measureStart + measureNanos;
            for (long i = 0; ; i++)
            {
                final long due = origin + (long)(i * intervalNanos);
                if (due >= end)
                {
                    break;
                }
                outstanding.submitAt(due, caller);
            }
            outstanding.drain();
        }

        /** A call seen done: answered, or shed by its deadline (any other failure fails the run). */
        private void seen(final long due, final long finished, final Future<?> future, final boolean synchronous) throws Exception
        {
            boolean answered = true;
            if (!synchronous)
            {
                try
                {
                    future.get();
                }
                catch (final ExecutionException e)
                {
                    if (!(e.getCause() instanceof DeadlineExceededException))
                    {
                        throw e;
                    }
                    answered = false;
                }
            }
            done(due, finished, answered);
        }

        private void done(final long due, final long finished, final boolean answered)
        {
            if (due < measureStart)
            {
                return;
            }
            if (!answered)
            {
                shed++;
                return;
            }
            final long nanos = finished - due;
            latency.recordValue(Math.max(0, nanos));
            if (nanos <= deadlineNanos)
            {
                good++;
            }
            else
            {
                late++;
            }
        }
    }
}
