package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.Caller;
import dev.ringbridge.bench.contender.Contender;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;

/**
 * Blocking round trip of a single caller: {@link Caller#call()} back to back, each timed from just
 * before the call to just after its result, so the time includes every hand-off and wake-up.
 * With one caller and no pacing there is no queueing, so coordinated omission does not apply.
 */
public final class RoundTripRun
{
    private RoundTripRun()
    {
    }

    /**
     * @param contender the running contender.
     * @param workload  the call.
     * @param warmup    unmeasured time first.
     * @param measure   measured time.
     * @param log       the interval log to record into.
     * @return the latency histogram, calls per second, CPU and allocation per call.
     * @throws Exception when a call fails.
     */
    public static ScenarioResult run(
        final Contender contender, final Workload workload, final Duration warmup, final Duration measure, final IntervalLog log)
        throws Exception
    {
        final RunPhase phase = new RunPhase();
        final long[] calls = new long[1];
        final IntervalLog.Recording recording =
            log.start(ScenarioResult.id(Measure.ROUND_TRIP, workload, 1, Double.NaN, contender.label()));
        final ResourceSnapshot[] window;
        Histogram latency = null;
        try
        {
            final ProducerThreads threads = new ProducerThreads("round-trip", 1, (index, ready) ->
            {
                try (Caller caller = contender.open(workload))
                {
                    ready.run();
                    calls[0] = callUntilStopped(caller, phase, recording);
                }
            }).start();
            window = phase.runTimed(warmup.toNanos(), measure.toNanos(), threads.withWorker(contender.worker()));
            threads.join();
        }
        finally
        {
            latency = log.finish(recording);
        }
        final ResourceSnapshot start = window[0];
        final ResourceSnapshot end = window[1];
        return new ScenarioResult(Measure.ROUND_TRIP, contender.kind(), contender.label(), workload, 1,
            Double.NaN, Double.NaN, calls[0] / start.seconds(end), calls[0], latency, start.cpuCores(end),
            start.bytesPer(end, calls[0]), start.collections(end), null, null, List.of());
    }

    private static long callUntilStopped(final Caller caller, final RunPhase phase, final IntervalLog.Recording recording)
        throws Exception
    {
        while (phase.get() == RunPhase.WARMUP)
        {
            caller.call();
        }
        long count = 0;
        while (phase.get() == RunPhase.MEASURE)
        {
            final long start = System.nanoTime();
            caller.call();
            recording.record(System.nanoTime() - start);
            count++;
        }
        return count;
    }
}
