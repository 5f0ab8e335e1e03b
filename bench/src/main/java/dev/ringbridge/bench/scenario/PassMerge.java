package dev.ringbridge.bench.scenario;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Combines the passes of a scenario into one result. The suite runs every timed scenario in several
 * short passes, interleaved with the other contenders, so that a slow spell of the machine (this VM
 * switches between fast and slow thread wake-ups for seconds at a time) is shared by all contenders
 * instead of landing on one.
 */
public final class PassMerge
{
    private PassMerge()
    {
    }

    /**
     * @param passes results in run order; several may share an id.
     * @return one result per id, in order of first appearance, holding its passes: latencies added up,
     *         rates, CPU and allocation averaged over the passes, samples and collections summed, worker
     *         costs the medians of the passes'.
     */
    public static List<ScenarioResult> merge(final List<ScenarioResult> passes)
    {
        final Map<String, List<ScenarioResult>> byId = new LinkedHashMap<>();
        for (final ScenarioResult result : passes)
        {
            byId.computeIfAbsent(result.id(), id -> new ArrayList<>()).add(result);
        }
        final List<ScenarioResult> merged = new ArrayList<>(byId.size());
        for (final List<ScenarioResult> group : byId.values())
        {
            merged.add(group.size() == 1 ? group.getFirst() : combine(group));
        }
        return merged;
    }

    private static ScenarioResult combine(final List<ScenarioResult> group)
    {
        final ScenarioResult first = group.getFirst();
        Histogram latency = null;
        long collections = 0;
        long collectionMillis = 0;
        for (final ScenarioResult result : group)
        {
            if (result.latency() != null)
            {
                if (latency == null)
                {
                    latency = result.latency().copy();
                }
                else
                {
                    latency.add(result.latency());
                }
            }
            if (result.collections() != null)
            {
                collections += result.collections().count();
                collectionMillis += result.collections().millis();
            }
        }
        final ScenarioResult.WorkerCost workerCost = first.workerCost() == null ? null : new ScenarioResult.WorkerCost(
            median(group, r -> r.workerCost().nanosPerCall()), median(group, r -> r.workerCost().directNanosPerCall()),
            median(group, r -> r.workerCost().overheadNanos()));
        // Blocked-producer scenarios run once; every other measure has passes.
        return new ScenarioResult(first.measure(), first.kind(), first.contender(), first.workload(), first.producers(),
            first.rateFraction(), first.offeredPerSecond(), mean(group, ScenarioResult::callsPerSecond),
            group.stream().mapToLong(ScenarioResult::samples).sum(), latency,
            mean(group, ScenarioResult::cpuCores), mean(group, ScenarioResult::bytesPerCall),
            first.collections() == null ? null : new ScenarioResult.Collections(collections, collectionMillis),
            first.blockedCpu(), workerCost, group);
    }

    private static double median(final List<ScenarioResult> group, final ToDoubleFunction<ScenarioResult> metric)
    {
        return Spread.of(group.stream().mapToDouble(metric).toArray()).median();
    }

    private static double mean(final List<ScenarioResult> group, final ToDoubleFunction<ScenarioResult> metric)
    {
        return group.stream().mapToDouble(metric).average().orElse(Double.NaN);
    }
}
