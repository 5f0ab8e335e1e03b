package dev.ringbridge.bench.report;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.ContenderKind;
import dev.ringbridge.bench.scenario.Measure;
import dev.ringbridge.bench.scenario.ScenarioResult;
import dev.ringbridge.bench.scenario.Units;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Checks the targets against one run's results, as ratios between contenders measured side by
 * side. A target whose scenarios were not part of the profile is left out.
 */
public final class TargetCheck
{
    /** One CallFuture with compressed oops: 12-byte header and four 4-byte references, rounded to 8. */
    static final double FUTURE_BYTES = 32;
    /** Ratios closer to 1 than this are within this machine's run-to-run noise. */
    static final double TIE = 1.1;
    private static final List<ContenderKind> LOW_LATENCY = List.of(ContenderKind.RING_YIELDING, ContenderKind.RING_BUSY_SPIN);
    private static final List<ContenderKind> RINGBRIDGE = List.of(ContenderKind.RING_BACKOFF, ContenderKind.RING_BLOCKING,
        ContenderKind.RING_SLEEPING, ContenderKind.RING_YIELDING, ContenderKind.RING_BUSY_SPIN);

    /**
     * One target's outcome.
     *
     * @param target   what the issue asks for.
     * @param measured the figures compared.
     * @param met      whether the target is met.
     */
    public record Verdict(String target, String measured, boolean met)
    {
    }

    private final List<ScenarioResult> results;

    /**
     * @param results one run's results.
     */
    public TargetCheck(final List<ScenarioResult> results)
    {
        this.results = results;
    }

    /**
     * @return the verdicts, in the order.
     */
    public List<Verdict> verdicts()
    {
        final List<Verdict> verdicts = new ArrayList<>();
        roundTrip(verdicts);
        saturation(verdicts);
        constantRate(verdicts);
        handlerCost(verdicts);
        allocation(verdicts);
        return verdicts;
    }

    private void roundTrip(final List<Verdict> verdicts)
    {
        final ToDoubleFunction<ScenarioResult> p50 = r -> r.latency().getValueAtPercentile(50);
        final Optional<ScenarioResult> baseline = find(Measure.ROUND_TRIP, ContenderKind.BASELINE, Workload.ECHO_64, 1);
        final Optional<ScenarioResult> fast = best(Measure.ROUND_TRIP, LOW_LATENCY, Workload.ECHO_64, 1, p50, false);
        final Optional<ScenarioResult> standard = find(Measure.ROUND_TRIP, ContenderKind.RING_BACKOFF, Workload.ECHO_64, 1);
        if (baseline.isPresent() && fast.isPresent())
        {
            final double ratio = p50.applyAsDouble(baseline.get()) / p50.applyAsDouble(fast.get());
            verdicts.add(new Verdict("Round trip p50, one caller, echo-64B: at least 20x lower than the baseline (low-latency mode)",
                latencyRatio("p50", baseline.get(), fast.get(), p50, ratio), ratio >= 20));
        }
        if (baseline.isPresent() && standard.isPresent())
        {
            final double ratio = p50.applyAsDouble(baseline.get()) / p50.applyAsDouble(standard.get());
            // A difference within this machine's run-to-run noise is a tie, not a win.
            verdicts.add(new Verdict("Round trip p50, one caller, echo-64B: lower than the baseline (default mode; a tie within 10% counts as missed)",
                latencyRatio("p50", baseline.get(), standard.get(), p50, ratio), ratio >= TIE));
        }
    }

    private void saturation(final List<Verdict> verdicts)
    {
        for (final int producers : new int[] {1, 2, 4})
        {
            final Optional<ScenarioResult> baseline = find(Measure.SATURATION, ContenderKind.BASELINE, Workload.ECHO_64, producers);
            final Optional<ScenarioResult> ring =
                best(Measure.SATURATION, RINGBRIDGE, Workload.ECHO_64, producers, ScenarioResult::callsPerSecond, true);
            if (baseline.isPresent() && ring.isPresent())
            {
                final double ratio = ring.get().callsPerSecond() / baseline.get().callsPerSecond();
                verdicts.add(new Verdict("Saturation, echo-64B, " + producers + " producer(s): at least 2x the baseline",
                    String.format(Locale.ROOT, "%s %s/s vs baseline %s/s: %.2fx", ring.get().contender(),
                        Units.count(ring.get().callsPerSecond()), Units.count(baseline.get().callsPerSecond()), ratio),
                    ratio >= 2));
            }
        }
    }

    private void constantRate(final List<Verdict> verdicts)
    {
        final ToDoubleFunction<ScenarioResult> p999 = r -> r.latency().getValueAtPercentile(99.9);
        final Optional<ScenarioResult> baseline = rate(ContenderKind.BASELINE);
        final Optional<ScenarioResult> fast = results.stream()
            .filter(r -> r.measure() == Measure.CONSTANT_RATE && LOW_LATENCY.contains(r.kind())
                && r.workload() == Workload.ECHO_64 && Math.abs(r.rateFraction() - 0.5) < 1e-9)
            .min(Comparator.comparingDouble(p999));
        if (baseline.isPresent() && fast.isPresent())
        {
            final double ratio = p999.applyAsDouble(baseline.get()) / p999.applyAsDouble(fast.get());
            verdicts.add(new Verdict("Constant rate at 50% of the baseline's saturation, echo-64B: p99.9 at least 10x lower",
                latencyRatio("p99.9", baseline.get(), fast.get(), p999, ratio), ratio >= 10));
        }
    }

    private void handlerCost(final List<Verdict> verdicts)
    {
        for (final Workload workload : Workload.values())
        {
            results.stream()
                .filter(r -> r.measure() == Measure.HANDLER_COST && r.workload() == workload
                    && r.contender().equals(ContenderKind.RING_BACKOFF.label()))
                .findFirst()
                .ifPresent(ring ->
                {
                    final ScenarioResult.WorkerCost cost = ring.workerCost();
                    verdicts.add(new Verdict("Worker-side overhead, " + workload.label() + ": at most 100 ns per call above a direct call",
                        String.format(Locale.ROOT, "%s (default) %.0f ns/call vs direct %.0f ns/call in the same rounds: %+.0f ns",
                            ring.contender(), cost.nanosPerCall(), cost.directNanosPerCall(), cost.overheadNanos()),
                        cost.overheadNanos() <= 100));
                });
        }
    }

    private void allocation(final List<Verdict> verdicts)
    {
        final Optional<ScenarioResult> direct = find(Measure.SATURATION, ContenderKind.DIRECT, Workload.ECHO_64, 1);
        final Optional<ScenarioResult> ring = find(Measure.SATURATION, ContenderKind.RING_BACKOFF, Workload.ECHO_64, 1);
        if (direct.isPresent() && ring.isPresent())
        {
            final double extra = ring.get().bytesPerCall() - direct.get().bytesPerCall();
            verdicts.add(new Verdict("Allocation: at most one object (the future) per asynchronous call",
                String.format(Locale.ROOT, "submit, echo-64B: %.0f B/call vs direct call %.0f B/call: +%.0f B (one CallFuture is %.0f B)",
                    ring.get().bytesPerCall(), direct.get().bytesPerCall(), extra, FUTURE_BYTES),
                extra <= FUTURE_BYTES + 8));
        }
        results.stream()
            .filter(r -> r.measure() == Measure.ROUND_TRIP && r.kind() != null && r.kind().ringbridge() && r.workload() == Workload.BINARY_SMALL)
            .max(Comparator.comparingDouble(ScenarioResult::bytesPerCall))
            .ifPresent(worst -> verdicts.add(new Verdict("Allocation: none in steady state on the binary path with caller buffers",
                String.format(Locale.ROOT, "callRaw(segments) round trip: at most %.2f B/call (worst mode: %s)",
                    worst.bytesPerCall(), worst.contender()),
                worst.bytesPerCall() < 1)));
    }

    private Optional<ScenarioResult> rate(final ContenderKind kind)
    {
        return results.stream()
            .filter(r -> r.measure() == Measure.CONSTANT_RATE && r.kind() == kind && r.workload() == Workload.ECHO_64
                && Math.abs(r.rateFraction() - 0.5) < 1e-9)
            .findFirst();
    }

    private Optional<ScenarioResult> find(final Measure measure, final ContenderKind kind, final Workload workload, final int producers)
    {
        return results.stream()
            .filter(r -> r.measure() == measure && r.kind() == kind && r.workload() == workload && r.producers() == producers
                && r.contender().equals(kind.label()))
            .findFirst();
    }

    private Optional<ScenarioResult> best(final Measure measure, final List<ContenderKind> kinds, final Workload workload,
        final int producers, final ToDoubleFunction<ScenarioResult> metric, final boolean highest)
    {
        final Comparator<ScenarioResult> order = Comparator.comparingDouble(metric);
        return kinds.stream()
            .map(kind -> find(measure, kind, workload, producers))
            .flatMap(Optional::stream)
            .max(highest ? order : order.reversed());
    }

    private static String latencyRatio(final String percentile, final ScenarioResult baseline, final ScenarioResult ring,
        final ToDoubleFunction<ScenarioResult> metric, final double ratio)
    {
        return String.format(Locale.ROOT, "baseline %s %s µs vs %s %s µs: %.1fx", percentile,
            Units.micros(metric.applyAsDouble(baseline)), ring.contender(), Units.micros(metric.applyAsDouble(ring)), ratio);
    }
}
