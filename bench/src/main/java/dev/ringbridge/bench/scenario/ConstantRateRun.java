package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.Caller;
import dev.ringbridge.bench.contender.Contender;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Latency under a constant offered rate, free of coordinated omission (as wrk2 measures it): call
 * {@code i} is due at {@code t0 + i / rate}, and its latency runs from that intended time to the moment
 * its result is seen, so a stall delays every call scheduled behind it and all of them count.
 *
 * <p>One pacing thread does everything: it spins until the next call is due, submits it without waiting
 * ({@link Caller#submit()}), and while it waits checks the oldest outstanding futures, which a single
 * worker completes in order. No callback runs on the contender's worker and no extra thread needs waking,
 * so the measurement adds nothing to the contender's own path. A synchronous contender makes the call in
 * {@code submit}; if it falls behind, the calls behind it start late and their latency shows it.
 *
 * <p>Limit: a result is seen only between submits, so while {@code submit} is blocked on a full queue
 * completions are seen late. That happens only when the queue is full, i.e. the contender is already
 * saturated and its latency already dominated by queueing.
 */
public final class ConstantRateRun
{
    /** Outstanding calls the pacer can track; above any queue capacity used here. */

    private ConstantRateRun()
    {
    }

    /**
     * @param contender    the running contender.
     * @param workload     the call.
     * @param rate         offered calls per second.
     * @param rateFraction the rate as a fraction of the baseline's saturation, for the report.
     * @param warmup       unmeasured time first, at the same rate.
     * @param measure      measured time.
     * @param log          the interval log to record into.
     * @return latency from intended send time, achieved rate, CPU and allocation per call.
     * @throws Exception when a call fails.
     */
    public static ScenarioResult run(final Contender contender, final Workload workload, final double rate,
        final double rateFraction, final Duration warmup, final Duration measure, final IntervalLog log) throws Exception
    {
        final IntervalLog.Recording recording =
            log.start(ScenarioResult.id(Measure.CONSTANT_RATE, workload, 1, rateFraction, contender.label()));
        final Pacer pacer = new Pacer(1e9 / rate, warmup.toNanos(), measure.toNanos(), recording, contender.worker());
        Histogram latency = null;
        try
        {
            new ProducerThreads("constant-rate", 1, (index, ready) ->
            {
                try (Caller caller = contender.open(workload))
                {
                    ready.run();
                    pacer.run(caller);
                }
            }).start().join();
        }
        finally
        {
            latency = log.finish(recording);
        }
        final ResourceSnapshot start = pacer.windowStart;
        final ResourceSnapshot end = pacer.windowEnd;
        return new ScenarioResult(Measure.CONSTANT_RATE, contender.kind(), contender.label(), workload, 1,
            rateFraction, rate, pacer.measuredCalls / start.seconds(end), pacer.measuredCalls, latency, start.cpuCores(end),
            start.bytesPer(end, pacer.measuredCalls), start.collections(end), null, null, List.of());
    }

    /** The pacing loop; every field is touched only by the pacing thread (read by the caller after join). */
    private static final class Pacer
    {
        private final double intervalNanos;
        private final long warmupNanos;
        private final long measureNanos;
        private final IntervalLog.Recording recording;
        private final Optional<Thread> worker;
        private final OutstandingCalls outstanding = new OutstandingCalls(this::seen);
        private long measureStart;
        private long measuredCalls;
        private ResourceSnapshot windowStart;
        private ResourceSnapshot windowEnd;

        Pacer(final double intervalNanos, final long warmupNanos, final long measureNanos, final IntervalLog.Recording recording,
            final Optional<Thread> worker)
        {
            this.worker = worker;
            this.intervalNanos = intervalNanos;
            this.warmupNanos = warmupNanos;
            this.measureNanos = measureNanos;
            this.recording = recording;
        }

        void run(final Caller caller) throws Exception
        {
            final List<Thread> threads = new ArrayList<>(List.of(Thread.currentThread()));
            worker.ifPresent(threads::add);
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
                if (windowStart == null && due >= measureStart)
                {
                    windowStart = ResourceSnapshot.now(threads);
                }
                outstanding.submitAt(due, caller);
            }
            // The window ends with the last submit: at the end of the schedule, or later if the contender fell behind.
            windowEnd = ResourceSnapshot.now(threads);
            outstanding.drain();
        }

        /** A call seen done. Reading the result is part of the call: a contender that decodes lazily pays here. */
        private void seen(final long due, final long finished, final Future<?> future, final boolean synchronous) throws Exception
        {
            if (!synchronous)
            {
                future.get();
            }
            done(due, finished);
        }

        private void done(final long due, final long finished)
        {
            if (due >= measureStart)
            {
                recording.record(finished - due);
                measuredCalls++;
            }
        }
    }
}
