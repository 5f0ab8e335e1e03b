package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.Caller;
import dev.ringbridge.bench.contender.Contender;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Backpressure: producers keep submitting 1 ms {@code sleep} calls, so the queue is always full and
 * they spend nearly all their time blocked waiting for room. What matters is what that waiting costs:
 * the producers' CPU time over the window (a parked thread costs none; a thread spinning in a claim
 * loop costs a core) and the worker's CPU time.
 */
public final class BlockedProducersRun
{
    private BlockedProducersRun()
    {
    }

    /**
     * @param contender the running contender (with a small capacity, so it fills at once).
     * @param producers producer threads.
     * @param warmup    time to fill the queue, unmeasured.
     * @param measure   measured time.
     * @return the producers' and the worker's CPU use, and calls per second.
     * @throws Exception when a call fails.
     */
    public static ScenarioResult run(final Contender contender, final int producers, final Duration warmup, final Duration measure)
        throws Exception
    {
        final RunPhase phase = new RunPhase();
        final long[] counts = new long[producers];
        final ProducerThreads threads = new ProducerThreads("blocked", producers, (index, ready) ->
        {
            try (Caller caller = contender.open(Workload.SLEEP_1MS))
            {
                ready.run();
                long count = 0;
                Future<?> last = null;
                int current;
                while ((current = phase.get()) != RunPhase.STOP)
                {
                    final Future<?> future = caller.submit();
                    last = future != null ? future : last;
                    count += current == RunPhase.MEASURE ? 1 : 0;
                }
                if (last != null)
                {
                    last.get();
                }
                counts[index] = count;
            }
        }).start();
        final List<Thread> producerThreads = threads.threads();
        final Optional<Thread> worker = contender.worker();

        RunPhase.sleepNanos(warmup.toNanos());
        final long producerCpuStart = cpuNanos(producerThreads);
        final long workerCpuStart = worker.map(t -> ResourceSnapshot.threadCpuNanos(t.threadId())).orElse(0L);
        final ResourceSnapshot start = ResourceSnapshot.now(threads.withWorker(worker));
        phase.set(RunPhase.MEASURE);
        RunPhase.sleepNanos(measure.toNanos());
        final long producerCpu = cpuNanos(producerThreads) - producerCpuStart;
        final long workerCpu = worker.map(t -> ResourceSnapshot.threadCpuNanos(t.threadId())).orElse(0L) - workerCpuStart;
        final ResourceSnapshot end = ResourceSnapshot.now(threads.withWorker(worker));
        phase.set(RunPhase.STOP);
        threads.join();

        long calls = 0;
        for (final long count : counts)
        {
            calls += count;
        }
        final double wall = end.wallNanos() - start.wallNanos();
        return new ScenarioResult(Measure.BLOCKED_PRODUCERS, contender.kind(), contender.label(), Workload.SLEEP_1MS, producers,
            Double.NaN, Double.NaN, calls / start.seconds(end), null, start.cpuCores(end), start.bytesPer(end, calls), start.collections(end),
            new ScenarioResult.BlockedCpu(producerCpu / wall, worker.isPresent() ? workerCpu / wall : Double.NaN), null);
    }

    private static long cpuNanos(final List<Thread> threads)
    {
        long total = 0;
        for (final Thread thread : threads)
        {
            total += ResourceSnapshot.threadCpuNanos(thread.threadId());
        }
        return total;
    }
}
