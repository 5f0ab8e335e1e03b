package dev.ringbridge.bench.scenario;

import java.util.List;

/**
 * The phase of a timed run: the coordinating thread moves it forward, every producer reads it once per
 * call. A volatile int costs a plain load on x86, so the check does not slow the measured loop.
 */
final class RunPhase
{
    static final int WARMUP = 0;
    static final int MEASURE = 1;
    static final int STOP = 2;

    /** Written by the coordinating thread, read by the producers (volatile store, volatile load). */
    private volatile int phase = WARMUP;

    int get()
    {
        return phase;
    }

    void set(final int next)
    {
        phase = next;
    }

    /**
     * Runs warm-up then measurement on the calling (coordinating) thread.
     *
     * @param threads the scenario's threads, whose allocation the snapshots count.
     * @return the snapshots taken at the start and end of the measured window.
     */
    ResourceSnapshot[] runTimed(final long warmupNanos, final long measureNanos, final List<Thread> threads)
        throws InterruptedException
    {
        sleepNanos(warmupNanos);
        final ResourceSnapshot start = ResourceSnapshot.now(threads);
        set(MEASURE);
        sleepNanos(measureNanos);
        final ResourceSnapshot end = ResourceSnapshot.now(threads);
        set(STOP);
        return new ResourceSnapshot[] {start, end};
    }

    static void sleepNanos(final long nanos) throws InterruptedException
    {
        Thread.sleep(nanos / 1_000_000, (int)(nanos % 1_000_000));
    }
}
