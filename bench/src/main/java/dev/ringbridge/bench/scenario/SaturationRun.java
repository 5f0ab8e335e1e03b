package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.Caller;
import dev.ringbridge.bench.contender.Contender;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Saturation throughput: every producer calls {@link Caller#submit()} as fast as the contender lets
 * it, for a fixed time. Synchronous contenders make the call there; asynchronous ones hand it off and
 * block only when their queue is full, so the queue stays full and the worker never waits for work.
 *
 * <p>Calls are counted as submitted in the measured window. With a bounded queue that equals the
 * completions to within the queue's size, which is far below the counts measured here; every producer
 * waits for its last future before it stops, so the run never ends with work in flight.
 */
public final class SaturationRun
{
    private SaturationRun()
    {
    }

    /**
     * @param contender the running contender.
     * @param workload  the call.
     * @param producers producer threads.
     * @param warmup    unmeasured time first.
     * @param measure   measured time.
     * @return calls per second, CPU and allocation per call.
     * @throws Exception when a call fails.
     */
    public static ScenarioResult run(
        final Contender contender, final Workload workload, final int producers, final Duration warmup, final Duration measure)
        throws Exception
    {
        return run(Measure.SATURATION, contender, workload, producers, warmup, measure);
    }

    /**
     * @param reportedAs the measure the result is filed under (saturation, or pool scaling).
     * @param contender  the running contender.
     * @param workload   the call.
     * @param producers  producer threads.
     * @param warmup     unmeasured time first.
     * @param measure    measured time.
     * @return calls per second, CPU and allocation per call.
     * @throws Exception when a call fails.
     */
    public static ScenarioResult run(final Measure reportedAs, final Contender contender, final Workload workload, final int producers,
        final Duration warmup, final Duration measure) throws Exception
    {
        final RunPhase phase = new RunPhase();
        final long[] counts = new long[producers];
        final ProducerThreads threads = new ProducerThreads("saturation", producers, (index, ready) ->
        {
            try (Caller caller = contender.open(workload))
            {
                ready.run();
                counts[index] = submitUntilStopped(caller, phase);
            }
        }).start();
        final ResourceSnapshot[] window = phase.runTimed(warmup.toNanos(), measure.toNanos(), threads.withWorker(contender.worker()));
        threads.join();
        long calls = 0;
        for (final long count : counts)
        {
            calls += count;
        }
        final ResourceSnapshot start = window[0];
        final ResourceSnapshot end = window[1];
        return new ScenarioResult(reportedAs, contender.kind(), contender.label(), workload, producers,
            Double.NaN, Double.NaN, calls / start.seconds(end), calls, null, start.cpuCores(end), start.bytesPer(end, calls),
            start.collections(end), null, null, List.of());
    }

    private static long submitUntilStopped(final Caller caller, final RunPhase phase) throws Exception
    {
        long count = 0;
        Future<?> last = null;
        while (true)
        {
            final int current = phase.get();
            if (current == RunPhase.STOP)
            {
                break;
            }
            final Future<?> future = caller.submit();
            if (future != null)
            {
                last = future;
            }
            if (current == RunPhase.MEASURE)
            {
                count++;
            }
        }
        if (last != null)
        {
            // The worker runs this producer's calls in order: when the last is done, all are.
            last.get();
        }
        return count;
    }
}
