package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.ContenderKind;
import dev.ringbridge.dispatcher.CallFuture;
import dev.ringbridge.dispatcher.CallOptions;
import dev.ringbridge.dispatcher.CallType;
import dev.ringbridge.dispatcher.DispatcherBuilder;
import dev.ringbridge.dispatcher.Lane;
import dev.ringbridge.dispatcher.PluginDispatcher;
import dev.ringbridge.ffi.NativePlugin;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Priority: two producers keep the normal lane full of 1 ms sleeps while one pacer offers urgent calls at a tenth of
 * the plugin's saturation rate; the urgent calls' latency from their intended send time. With lanes they go to the
 * high lane; without, the same calls queue in the one ring behind the backlog.
 */
public final class PriorityRun
{
    private static final int NORMAL_CAPACITY = 256;
    private static final int HIGH_CAPACITY = 64;
    private static final int MAX_HIGH_IN_A_ROW = 8;

    private PriorityRun()
    {
    }

    /**
     * @param plugin     the plugin (no other contender is alive).
     * @param lanes      whether the urgent calls have a high lane.
     * @param workload   the call, urgent and background alike.
     * @param urgentRate urgent calls offered per second.
     * @param warmup     time for the background to fill the normal lane first.
     * @param measure    measured time.
     * @return the urgent calls' latency and rate.
     * @throws Exception when an urgent call fails.
     */
    public static ScenarioResult run(final NativePlugin plugin, final boolean lanes, final Workload workload, final double urgentRate,
        final Duration warmup, final Duration measure) throws Exception
    {
        final DispatcherBuilder builder = PluginDispatcher.builder(plugin).capacity(NORMAL_CAPACITY).closePlugin(false)
            .threadName("ringbridge-priority");
        if (lanes)
        {
            builder.highLane(HIGH_CAPACITY, MAX_HIGH_IN_A_ROW);
        }
        final CallType<String, String> type = CallType.json(workload.typeTag());
        final CallOptions urgent = lanes ? CallOptions.defaults().withLane(Lane.HIGH) : CallOptions.defaults();
        final Histogram latency = new Histogram(3);
        final PluginDispatcher dispatcher = builder.build();
        final AtomicBoolean background = new AtomicBoolean(true);
        final List<Thread> producers = new ArrayList<>();
        long calls = 0;
        try
        {
            for (int p = 0; p < 2; p++)
            {
                producers.add(Thread.ofPlatform().name("priority-background-" + p).start(() ->
                {
                    try
                    {
                        while (background.get())
                        {
                            dispatcher.submit(type, workload.json());
                        }
                    }
                    catch (final RejectedExecutionException | InterruptedException stopped)
                    {
                        // The run is over.
                    }
                }));
            }
            Thread.sleep(warmup.toMillis());
            final double interval = 1e9 / urgentRate;
            final int count = (int)(measure.toNanos() / interval);
            final long[] due = new long[count];
            final long[] finished = new long[count];
            final List<CallFuture<String>> futures = new ArrayList<>(count);
            final long origin = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                due[i] = origin + (long)(i * interval);
                while (System.nanoTime() < due[i])
                {
                    Thread.onSpinWait();
                }
                final int index = i;
                final CallFuture<String> future = dispatcher.submit(type, workload.json(), urgent);
                future.thenRun(() -> finished[index] = System.nanoTime());
                futures.add(future);
            }
            for (int i = 0; i < count; i++)
            {
                futures.get(i).get(30, TimeUnit.SECONDS);
                while (finished[i] == 0)
                {
                    // The stage runs right after the future completes, on the owner thread.
                    Thread.onSpinWait();
                }
                latency.recordValue(Math.max(0, finished[i] - due[i]));
            }
            calls = count;
        }
        finally
        {
            background.set(false);
            dispatcher.shutdownNow();
            for (final Thread producer : producers)
            {
                producer.join(10_000);
            }
        }
        return new ScenarioResult(Measure.PRIORITY, ContenderKind.RING_BACKOFF, lanes ? "ring-backoff+lanes" : "ring-backoff",
            workload, 2, 0.1, urgentRate, calls / (measure.toNanos() / 1e9), calls, latency, Double.NaN, Double.NaN, null, null, null,
            List.of());
    }
}
