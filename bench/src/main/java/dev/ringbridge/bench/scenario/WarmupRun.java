package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.Caller;
import dev.ringbridge.bench.contender.Contender;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * Runs a contender's blocking and asynchronous paths for a while, unmeasured, before any scenario, so
 * that the JIT has compiled every contender's code before the first one is timed; otherwise whichever
 * contender runs first would pay for compiling the shared loops.
 */
public final class WarmupRun
{
    private static final int BATCH = 1000;

    private WarmupRun()
    {
    }

    /**
     * @param contender the running contender.
     * @param workload  the call.
     * @param duration  how long to run.
     * @throws Exception when a call fails.
     */
    public static void run(final Contender contender, final Workload workload, final Duration duration) throws Exception
    {
        new ProducerThreads("warmup", 1, (index, ready) ->
        {
            ready.run();
            try (Caller caller = contender.open(workload))
            {
                final long end = System.nanoTime() + duration.toNanos();
                while (System.nanoTime() < end)
                {
                    for (int i = 0; i < BATCH; i++)
                    {
                        caller.call();
                    }
                    Future<?> last = null;
                    for (int i = 0; i < BATCH; i++)
                    {
                        final Future<?> future = caller.submit();
                        last = future != null ? future : last;
                    }
                    if (last != null)
                    {
                        last.get();
                    }
                }
            }
        }).start().join();
    }
}
