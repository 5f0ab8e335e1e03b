package dev.ringbridge.bench.report;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.ContenderKind;
import dev.ringbridge.bench.scenario.Measure;
import dev.ringbridge.bench.scenario.ScenarioResult;
import dev.ringbridge.bench.scenario.Spread;
import dev.ringbridge.bench.scenario.Units;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * Checks the targets against one run's results, as ratios between contenders measured side by side. The
 * default mode is {@code ring-backoff} with metrics on. Every figure is judged across the passes
 * ({@link Verdict#judge}): a ratio's per-pass values pair the two contenders' passes by index, since each
 * pass ran every contender in one sweep. A target whose scenarios were not part of the profile, or whose
 * percentile the sample count does not support, is left out.
 */
public final class TargetCheck
{
    /**
     * One CallFuture with compressed oops: a 12-byte header and nine 4-byte fields (context, call type, code, body,
     * failure, state, waiter, stage, outcome), rounded to 8.
     */
    static final double FUTURE_BYTES = 48;
    private static final ContenderKind DEFAULT = ContenderKind.RING_BACKOFF;
    private static final List<ContenderKind> LOW_LATENCY = List.of(ContenderKind.RING_YIELDING, ContenderKind.RING_BUSY_SPIN);
    private static final List<ContenderKind> PEERS = List.of(ContenderKind.EXECUTOR, ContenderKind.JCTOOLS, ContenderKind.AGRONA);
    private static final List<Workload> HAND_OFF_WORKLOADS = List.of(Workload.ECHO_64, Workload.BINARY_SMALL);
    private static final String JOIN_LABEL = DEFAULT.label() + " submit().join()";

    private final List<ScenarioResult> results;

    /**
     * @param results one run's results, passes merged.
     */
    public TargetCheck(final List<ScenarioResult> results)
    {
        this.results = results;
    }

    /**
     * @return the verdicts: the hot-path targets first, then the earlier latency and allocation targets.
     */
    public List<Verdict> verdicts()
    {
        final List<Verdict> verdicts = new ArrayList<>();
        saturationAgainstBaseline(verdicts);
        saturationAgainstPeers(verdicts);
        binaryAgainstDirect(verdicts);
        ownerCost(verdicts);
        roundTrip(verdicts);
        constantRate(verdicts);
        allocation(verdicts);
        poolScaling(verdicts);
        overload(verdicts);
        return verdicts;
    }

    private void saturationAgainstBaseline(final List<Verdict> verdicts)
    {
        for (final Workload workload : HAND_OFF_WORKLOADS)
        {
            for (final int producers : new int[] {1, 2, 4, 8})
            {
                final Optional<ScenarioResult> baseline = find(Measure.SATURATION, ContenderKind.BASELINE.label(), workload, producers);
                final Optional<ScenarioResult> ring = find(Measure.SATURATION, DEFAULT.label(), workload, producers);
                if (baseline.isPresent() && ring.isPresent())
                {
                    verdicts.add(ratioVerdict("Saturation, " + workload.label() + ", " + producers + " producer(s): default mode at least "
                        + "1.3x the baseline", ring.get(), baseline.get(), ScenarioResult::callsPerSecond, 1.3, true, TargetCheck::perSecond));
                }
            }
        }
    }

    private void saturationAgainstPeers(final List<Verdict> verdicts)
    {
        for (final ScenarioResult ring : select(Measure.SATURATION, DEFAULT.label()))
        {
            PEERS.stream()
                .map(peer -> find(Measure.SATURATION, peer.label(), ring.workload(), ring.producers()))
                .flatMap(Optional::stream)
                .max(Comparator.comparingDouble(ScenarioResult::callsPerSecond))
                .ifPresent(best -> verdicts.add(ratioVerdict("Saturation, " + ring.workload().label() + ", " + ring.producers()
                    + " producer(s): default mode at least 0.95x the best of " + labels(PEERS), ring, best,
                    ScenarioResult::callsPerSecond, 0.95, true, TargetCheck::perSecond)));
        }
    }

    private void binaryAgainstDirect(final List<Verdict> verdicts)
    {
        final Optional<ScenarioResult> direct = find(Measure.SATURATION, ContenderKind.DIRECT.label(), Workload.BINARY_SMALL, 1);
        final Optional<ScenarioResult> ring = find(Measure.SATURATION, DEFAULT.label(), Workload.BINARY_SMALL, 1);
        if (direct.isPresent() && ring.isPresent())
        {
            verdicts.add(ratioVerdict("Saturation, binary-76B, 1 producer: default mode at least 0.7x a direct call",
                ring.get(), direct.get(), ScenarioResult::callsPerSecond, 0.7, true, TargetCheck::perSecond));
        }
    }

    private void ownerCost(final List<Verdict> verdicts)
    {
        for (final ScenarioResult ring : select(Measure.HANDLER_COST, DEFAULT.label()))
        {
            final ScenarioResult.WorkerCost cost = ring.workerCost();
            final Spread spread = ring.spread(r -> r.workerCost().overheadNanos());
            verdicts.add(new Verdict("Owner-side cost, " + ring.workload().label() + ": at most 30 ns per call above a direct call "
                + "(default mode, metrics on)",
                String.format(Locale.ROOT, "%s %.0f ns/call vs direct %.0f ns/call in the same rounds: %+.0f ns%s", ring.contender(),
                    cost.nanosPerCall(), cost.directNanosPerCall(), cost.overheadNanos(),
                    spreadText(spread, nanos -> String.format(Locale.ROOT, "%+.0f", nanos), " ns")),
                Verdict.judge(cost.overheadNanos(), spread, 30, false)));
            select(Measure.HANDLER_COST, DEFAULT.label() + " (JFR on)").stream()
                .filter(jfr -> jfr.workload() == ring.workload())
                .forEach(jfr ->
                {
                    final double rise = jfr.workerCost().overheadNanos() - cost.overheadNanos();
                    verdicts.add(new Verdict("Owner-side cost, " + ring.workload().label() + ": a JFR recording with the call "
                        + "event at its default threshold adds at most 10 ns per call",
                        String.format(Locale.ROOT, "%+.0f ns/call over a direct call with JFR on, %+.0f ns without: %+.0f ns",
                            jfr.workerCost().overheadNanos(), cost.overheadNanos(), rise),
                        rise <= 10 ? Verdict.Outcome.MET : Verdict.Outcome.MISSED));
                });
        }
    }

    private void roundTrip(final List<Verdict> verdicts)
    {
        final ToDoubleFunction<ScenarioResult> p50 = r -> ResultTable.percentileNanos(r, 50);
        for (final Workload workload : HAND_OFF_WORKLOADS)
        {
            final Optional<ScenarioResult> baseline = find(Measure.ROUND_TRIP, ContenderKind.BASELINE.label(), workload, 1);
            final Optional<ScenarioResult> call = find(Measure.ROUND_TRIP, DEFAULT.label(), workload, 1);
            final Optional<ScenarioResult> join = find(Measure.ROUND_TRIP, JOIN_LABEL, workload, 1);
            final String prefix = "Round trip p50, one caller, " + workload.label() + ", default mode: ";
            call.filter(r -> !Double.isNaN(p50.applyAsDouble(r))).ifPresent(ring ->
            {
                final Spread spread = ring.spread(p50);
                verdicts.add(new Verdict(prefix + "call() at most 0.5 µs",
                    ring.contender() + " p50 " + Units.micros(p50.applyAsDouble(ring)) + " µs" + spreadText(spread, Units::micros, " µs"),
                    Verdict.judge(p50.applyAsDouble(ring), spread, 500, false)));
            });
            if (call.isPresent() && join.isPresent())
            {
                verdicts.add(ratioVerdict(prefix + "submit().join() within 1.5x of call()", join.get(), call.get(), p50, 1.5, false,
                    TargetCheck::micros));
            }
            if (baseline.isPresent())
            {
                call.ifPresent(r -> verdicts.add(ratioVerdict(prefix + "call() at least 50x below the baseline",
                    baseline.get(), r, p50, 50, true, TargetCheck::micros)));
                join.ifPresent(r -> verdicts.add(ratioVerdict(prefix + "submit().join() at least 50x below the baseline",
                    baseline.get(), r, p50, 50, true, TargetCheck::micros)));
            }
        }
    }

    private void constantRate(final List<Verdict> verdicts)
    {
        final ToDoubleFunction<ScenarioResult> p999 = r -> ResultTable.percentileNanos(r, 99.9);
        final Optional<ScenarioResult> baseline = rate(ContenderKind.BASELINE.label()).filter(r -> !Double.isNaN(p999.applyAsDouble(r)));
        final Optional<ScenarioResult> fast = LOW_LATENCY.stream()
            .map(kind -> rate(kind.label()))
            .flatMap(Optional::stream)
            .filter(r -> !Double.isNaN(p999.applyAsDouble(r)))
            .min(Comparator.comparingDouble(p999));
        if (baseline.isPresent() && fast.isPresent())
        {
            verdicts.add(ratioVerdict("Constant rate at 50% of the baseline's saturation, echo-64B: p99.9 at least 10x lower "
                + "than the baseline (low-latency mode)", baseline.get(), fast.get(), p999, 10, true, TargetCheck::micros));
        }
    }

    private void allocation(final List<Verdict> verdicts)
    {
        final Optional<ScenarioResult> direct = find(Measure.SATURATION, ContenderKind.DIRECT.label(), Workload.ECHO_64, 1);
        final Optional<ScenarioResult> ring = find(Measure.SATURATION, DEFAULT.label(), Workload.ECHO_64, 1);
        if (direct.isPresent() && ring.isPresent())
        {
            final double extra = ring.get().bytesPerCall() - direct.get().bytesPerCall();
            verdicts.add(new Verdict("Allocation: at most one object (the future) per asynchronous call",
                String.format(Locale.ROOT, "submit, echo-64B: %.0f B/call vs direct call %.0f B/call: +%.0f B (one CallFuture is %.0f B)",
                    ring.get().bytesPerCall(), direct.get().bytesPerCall(), extra, FUTURE_BYTES),
                extra <= FUTURE_BYTES + 8 ? Verdict.Outcome.MET : Verdict.Outcome.MISSED));
        }
        results.stream()
            .filter(r -> r.measure() == Measure.ROUND_TRIP && r.kind() != null && r.kind().ringbridge()
                && r.contender().equals(r.kind().label()) && r.workload() == Workload.BINARY_SMALL)
            .max(Comparator.comparingDouble(ScenarioResult::bytesPerCall))
            .ifPresent(worst -> verdicts.add(new Verdict("Allocation: none in steady state on the binary path with caller buffers",
                String.format(Locale.ROOT, "callRaw(segments) round trip: at most %.2f B/call (worst mode: %s)",
                    worst.bytesPerCall(), worst.contender()),
                worst.bytesPerCall() < 1 ? Verdict.Outcome.MET : Verdict.Outcome.MISSED)));
    }

    /**
     * A ratio of one figure between two results, judged on the ratios of their paired passes.
     *
     * @param atLeast true when the ratio must reach the threshold, false when it must stay at or below it.
     * @param format  how the figure is written.
     */
    private static Verdict ratioVerdict(final String target, final ScenarioResult numerator, final ScenarioResult denominator,
        final ToDoubleFunction<ScenarioResult> metric, final double threshold, final boolean atLeast,
        final DoubleFunction<String> format)
    {
        final double ratio = metric.applyAsDouble(numerator) / metric.applyAsDouble(denominator);
        final int pairs = Math.min(numerator.passes().size(), denominator.passes().size());
        final double[] perPass = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            perPass[i] = metric.applyAsDouble(numerator.passes().get(i)) / metric.applyAsDouble(denominator.passes().get(i));
        }
        final Spread spread = Spread.of(perPass);
        final String measured = String.format(Locale.ROOT, "%s %s vs %s %s: %.2fx%s", numerator.contender(),
            format.apply(metric.applyAsDouble(numerator)), denominator.contender(), format.apply(metric.applyAsDouble(denominator)),
            ratio, spreadText(spread, value -> String.format(Locale.ROOT, "%.2f", value), "x"));
        return new Verdict(target, measured, Verdict.judge(ratio, spread, threshold, atLeast));
    }

    private static String spreadText(final Spread spread, final DoubleFunction<String> format, final String unit)
    {
        return spread.count() < 2 ? " (1 pass)" : String.format(Locale.ROOT, " (%d passes: %s / %s / %s%s)", spread.count(),
            format.apply(spread.min()), format.apply(spread.median()), format.apply(spread.max()), unit);
    }

    private static String perSecond(final double callsPerSecond)
    {
        return Units.count(callsPerSecond) + "/s";
    }

    private static String micros(final double nanos)
    {
        return Units.micros(nanos) + " µs";
    }

    private Optional<ScenarioResult> rate(final String contender)
    {
        return results.stream()
            .filter(r -> r.measure() == Measure.CONSTANT_RATE && r.contender().equals(contender) && r.workload() == Workload.ECHO_64
                && Math.abs(r.rateFraction() - 0.5) < 1e-9)
            .findFirst();
    }

    /** Pools: instances scale a plugin-bound call, and routing costs a CPU-bound one almost nothing. */
    /** Issue 11's targets: with deadlines, nearly the plugin's whole saturation is answered in time, and answered in time. */
    private void overload(final List<Verdict> verdicts)
    {
        for (final ScenarioResult ring : select(Measure.OVERLOAD, DEFAULT.label() + "+deadline"))
        {
            final ScenarioResult.Overload figures = ring.overload();
            final double saturation = ring.offeredPerSecond() / ring.rateFraction();
            final double ratio = figures.goodPerSecond() / saturation;
            verdicts.add(new Verdict("Overload, " + ring.workload().label() + ": with a deadline, goodput at least 0.9x the "
                + "plugin's saturation",
                String.format(Locale.ROOT, "%s answers %s within %.0f ms against a saturation of %s: %.2fx", ring.contender(),
                    perSecond(figures.goodPerSecond()), figures.deadlineMillis(), perSecond(saturation), ratio),
                ratio >= 0.9 ? Verdict.Outcome.MET : Verdict.Outcome.MISSED));
            final double p99 = ResultTable.percentileNanos(ring, 99);
            verdicts.add(new Verdict("Overload, " + ring.workload().label() + ": with a deadline, answered calls' p99 within it",
                String.format(Locale.ROOT, "%s p99 %.2f ms, deadline %.0f ms", ring.contender(), p99 / 1e6, figures.deadlineMillis()),
                p99 <= figures.deadlineMillis() * 1e6 ? Verdict.Outcome.MET : Verdict.Outcome.MISSED));
        }
    }

    private void poolScaling(final List<Verdict> verdicts)
    {
        final int producers = 8;
        final Optional<ScenarioResult> one = find(Measure.POOL_SCALING, "pool-1", Workload.SLEEP_1MS, producers);
        for (final int size : new int[] {2, 4, 8})
        {
            final Optional<ScenarioResult> pool = find(Measure.POOL_SCALING, "pool-" + size, Workload.SLEEP_1MS, producers);
            if (one.isPresent() && pool.isPresent())
            {
                verdicts.add(ratioVerdict("Pool scaling, sleep-1ms, 8 producers: pool-" + size + " at least " + (0.9 * size)
                    + "x pool-1 (0.9 x " + size + ")", pool.get(), one.get(), ScenarioResult::callsPerSecond, 0.9 * size, true,
                    TargetCheck::perSecond));
            }
        }
        final Optional<ScenarioResult> single = find(Measure.POOL_SCALING, DEFAULT.label(), Workload.ECHO_64, producers);
        final Optional<ScenarioResult> echoOne = find(Measure.POOL_SCALING, "pool-1", Workload.ECHO_64, producers);
        final Optional<ScenarioResult> echoTwo = find(Measure.POOL_SCALING, "pool-2", Workload.ECHO_64, producers);
        if (single.isPresent() && echoOne.isPresent())
        {
            verdicts.add(ratioVerdict("Pool scaling, echo-64B, 8 producers: pool-1 within 10% of the single dispatcher",
                echoOne.get(), single.get(), ScenarioResult::callsPerSecond, 0.9, true, TargetCheck::perSecond));
        }
        if (single.isPresent() && echoTwo.isPresent())
        {
            verdicts.add(ratioVerdict("Pool scaling, echo-64B, 8 producers: pool-2 against the single dispatcher (reported; two owner"
                + " threads and eight producers share two cores here, so 1.0x is the bound this target is judged by)",
                echoTwo.get(), single.get(), ScenarioResult::callsPerSecond, 1.0, true, TargetCheck::perSecond));
        }
    }

    private Optional<ScenarioResult> find(final Measure measure, final String contender, final Workload workload, final int producers)
    {
        return results.stream()
            .filter(r -> r.measure() == measure && r.contender().equals(contender) && r.workload() == workload && r.producers() == producers)
            .findFirst();
    }

    private List<ScenarioResult> select(final Measure measure, final String contender)
    {
        return results.stream().filter(r -> r.measure() == measure && r.contender().equals(contender)).toList();
    }

    private static String labels(final List<ContenderKind> kinds)
    {
        return String.join("/", kinds.stream().map(ContenderKind::label).toList());
    }
}
