package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.ContenderKind;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of one scenario. Numbers a measure does not produce are NaN; the histogram and the
 * measure-specific parts are null where they do not apply.
 *
 * @param measure          what was measured.
 * @param kind             the contender.
 * @param contender        the contender's label as shown in the report.
 * @param workload         the call made.
 * @param producers        producer threads (1 for round trip, constant rate and worker cost).
 * @param rateFraction     constant rate only: the offered rate as a fraction of the baseline's saturation.
 * @param offeredPerSecond constant rate only: the offered rate.
 * @param callsPerSecond   calls completed per second of the measured window (merged: the mean of the passes).
 * @param samples          what the figures rest on: latencies recorded (round trip, constant rate), calls
 *                         counted (saturation, blocked producers) or rounds timed (worker cost); merged: the sum.
 * @param latency          per-call latency in nanoseconds (round trip, constant rate), else null.
 * @param cpuCores         process CPU time over wall time in the window (2.0 = both cores busy).
 * @param bytesPerCall     heap bytes allocated per call by the producers and the worker in the window.
 * @param collections      garbage collections during the window; null where not measured.
 * @param blockedCpu       blocked producers only: who burnt CPU while blocked.
 * @param workerCost       worker cost only: time per call on the worker against a direct call.
 * @param mergedPasses     the passes a merged result combines, in run order; empty for a single measurement
 *                         (see {@link #passes()}).
 * @param overload         overload only: what became of the offered calls.
 */
public record ScenarioResult(
    Measure measure,
    ContenderKind kind,
    String contender,
    Workload workload,
    int producers,
    double rateFraction,
    double offeredPerSecond,
    double callsPerSecond,
    long samples,
    Histogram latency,
    double cpuCores,
    double bytesPerCall,
    Collections collections,
    BlockedCpu blockedCpu,
    WorkerCost workerCost,
    List<ScenarioResult> mergedPasses,
    Overload overload)
{
    /** Every measure but overload. */
    public ScenarioResult(final Measure measure, final ContenderKind kind, final String contender, final Workload workload,
        final int producers, final double rateFraction, final double offeredPerSecond, final double callsPerSecond,
        final long samples, final Histogram latency, final double cpuCores, final double bytesPerCall,
        final Collections collections, final BlockedCpu blockedCpu, final WorkerCost workerCost,
        final List<ScenarioResult> mergedPasses)
    {
        this(measure, kind, contender, workload, producers, rateFraction, offeredPerSecond, callsPerSecond, samples, latency,
            cpuCores, bytesPerCall, collections, blockedCpu, workerCost, mergedPasses, null);
    }

    /**
     * Copies the passes, so a result never changes after it is made.
     */
    public ScenarioResult
    {
        mergedPasses = List.copyOf(mergedPasses);
    }

    /**
     * @return the separately measured passes behind this result; a result measured once is its own only pass.
     */
    public List<ScenarioResult> passes()
    {
        return mergedPasses.isEmpty() ? List.of(this) : mergedPasses;
    }

    /**
     * @param metric a figure of one measurement, e.g. calls per second or the p50 latency.
     * @return its lowest, median and highest value across {@link #passes()}.
     */
    public Spread spread(final ToDoubleFunction<ScenarioResult> metric)
    {
        return Spread.of(passes().stream().mapToDouble(metric).toArray());
    }

    /**
     * Garbage collections during a measured window: every thread stops for them, whichever contender runs.
     *
     * @param count  collections.
     * @param millis their total time as the collectors report it.
     */
    public record Collections(long count, long millis)
    {
    }

    /**
     * CPU burnt while the producers were blocked on a full queue.
     *
     * @param producerCores the producers' CPU time, summed, over wall time.
     * @param workerCores   the worker thread's CPU time over wall time; NaN when calls run on the producers.
     */
    public record BlockedCpu(double producerCores, double workerCores)
    {
    }

    /**
     * Time per call on the worker thread draining a full queue, against direct calls of the same session
     * method timed in the same rounds.
     *
     * @param nanosPerCall       median time per call on the worker.
     * @param directNanosPerCall median time per direct call.
     * @param overheadNanos      median of the per-round differences: the hand-off's cost on the worker.
     */
    public record WorkerCost(double nanosPerCall, double directNanosPerCall, double overheadNanos)
    {
    }

    /**
     * What became of the calls offered beyond saturation, per second of the measured window.
     *
     * @param deadlineMillis the deadline the run judges by (and the contender's calls carry, if it sheds).
     * @param goodPerSecond  calls answered within the deadline (from their intended send time).
     * @param latePerSecond  calls answered after the deadline.
     * @param shedPerSecond  calls refused at their deadline without an answer.
     */
    public record Overload(double deadlineMillis, double goodPerSecond, double latePerSecond, double shedPerSecond)
    {
    }

    /**
     * @return a unique name for files and log tags, e.g. {@code constant-rate_echo-64B_r50_ring-yielding}.
     */
    public String id()
    {
        return id(measure, workload, producers, rateFraction, contender);
    }

    /**
     * @param measure      what is measured.
     * @param workload     the call.
     * @param producers    producer threads.
     * @param rateFraction the offered rate's fraction of the baseline's saturation (constant rate only).
     * @param contender    the contender's label.
     * @return the scenario id, as {@link #id()} gives it.
     */
    public static String id(final Measure measure, final Workload workload, final int producers, final double rateFraction,
        final String contender)
    {
        final StringBuilder id = new StringBuilder(64).append(measure.slug()).append('_').append(workload.label());
        if (measure == Measure.CONSTANT_RATE || measure == Measure.OVERLOAD || measure == Measure.PRIORITY)
        {
            id.append("_r").append(Math.round(rateFraction * 100));
        }
        else if (measure == Measure.SATURATION || measure == Measure.BLOCKED_PRODUCERS || measure == Measure.POOL_SCALING)
        {
            id.append("_p").append(producers);
        }
        id.append('_').append(contender.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+$", ""));
        return id.toString();
    }

    /**
     * @return the condition this scenario ran under, e.g. "4 producers" or "50% (812k/s)".
     */
    public String condition()
    {
        return switch (measure)
        {
            case CONSTANT_RATE, OVERLOAD, PRIORITY -> String.format(Locale.ROOT, "%d%% (%s/s)", Math.round(rateFraction * 100), Units.count(offeredPerSecond));
            case ROUND_TRIP, HANDLER_COST -> "1 caller";
            case SATURATION, BLOCKED_PRODUCERS, POOL_SCALING -> producers + (producers == 1 ? " producer" : " producers");
        };
    }
}
