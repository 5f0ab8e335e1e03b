package dev.ringbridge.bench;

import dev.ringbridge.bench.BenchProfile.SaturationCase;
import dev.ringbridge.bench.contender.Contender;
import dev.ringbridge.bench.contender.ContenderKind;
import dev.ringbridge.bench.contender.PoolContender;
import dev.ringbridge.bench.contender.RingbridgeContender;
import dev.ringbridge.bench.contender.SubmitJoinContender;
import dev.ringbridge.bench.scenario.BlockedProducersRun;
import dev.ringbridge.bench.scenario.ConstantRateRun;
import dev.ringbridge.bench.scenario.HandlerCostRun;
import dev.ringbridge.bench.scenario.IntervalLog;
import dev.ringbridge.bench.scenario.Measure;
import dev.ringbridge.bench.scenario.OverloadRun;
import dev.ringbridge.bench.scenario.PriorityRun;
import dev.ringbridge.bench.scenario.PassMerge;
import dev.ringbridge.bench.scenario.RoundTripRun;
import dev.ringbridge.bench.scenario.SaturationRun;
import dev.ringbridge.bench.scenario.ScenarioResult;
import dev.ringbridge.bench.scenario.WarmupRun;
import dev.ringbridge.ffi.NativePlugin;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Plans and runs every scenario of a profile, one at a time, in one process against one plugin.
 *
 * <p>Contenders are interleaved within each case (every contender runs a case before the next case
 * starts), and each timed scenario is split into passes run one after the other over the whole measure,
 * so a noisy spell on a shared machine spreads over all contenders instead of hitting one. Each
 * scenario starts its own contender and closes it after, so no idle spinning owner thread survives into
 * the next scenario, and a garbage collection before each one clears the previous scenario's garbage.
 */
final class Suite
{
    /** Queue and ring capacity of every contender: the dispatcher's default; the seeds default to 100. */
    static final int CAPACITY = 1024;
    /** A small queue for the blocked-producers scenarios, so it fills at once and drains fast at the end. */
    static final int BLOCKED_CAPACITY = 16;

    /** One unit of the plan; the action runs when its turn comes, so it can use earlier results; a warm-up returns null. */
    private record Step(String label, double plannedSeconds, Action action)
    {
    }

    @FunctionalInterface
    private interface Action
    {
        ScenarioResult run() throws Exception;
    }

    @FunctionalInterface
    private interface ContenderRun
    {
        ScenarioResult run(Contender contender) throws Exception;
    }

    private final BenchProfile profile;
    private final Set<Measure> measures;
    private final NativePlugin plugin;
    /** The overload measure's offered rate, timed once so every contender is offered the same; NaN before. */
    private double overloadRate = Double.NaN;
    private final IntervalLog log;
    private final List<ScenarioResult> results = new ArrayList<>();

    Suite(final BenchProfile profile, final Set<Measure> measures, final NativePlugin plugin, final IntervalLog log)
    {
        this.profile = profile;
        this.measures = measures;
        this.plugin = plugin;
        this.log = log;
    }

    /**
     * Runs the whole plan, showing progress.
     *
     * @param progressOut where the progress line goes.
     * @return one result per scenario (its passes merged), in plan order.
     * @throws Exception when a scenario fails.
     */
    List<ScenarioResult> run(final PrintStream progressOut) throws Exception
    {
        final List<Step> steps = plan();
        final Progress progress = new Progress(progressOut, steps.stream().mapToDouble(Step::plannedSeconds).sum());
        for (final Step step : steps)
        {
            progress.step(step.label(), step.plannedSeconds());
            System.gc();
            final ScenarioResult result = step.action().run();
            if (result != null)
            {
                results.add(result);
            }
        }
        progress.finish();
        return PassMerge.merge(results);
    }

    private List<Step> plan()
    {
        final List<Step> steps = new ArrayList<>();
        planJitWarmup(steps);
        // Passes are nested inside each measure, so the constant rates derive from every saturation pass.
        planPasses(steps, Measure.SATURATION, this::planSaturation);
        planPasses(steps, Measure.ROUND_TRIP, this::planRoundTrip);
        planPasses(steps, Measure.CONSTANT_RATE, this::planConstantRate);
        planPasses(steps, Measure.HANDLER_COST, this::planHandlerCost);
        planPasses(steps, Measure.POOL_SCALING, this::planPoolScaling);
        if (measures.contains(Measure.BLOCKED_PRODUCERS))
        {
            planBlockedProducers(steps);
        }
        if (measures.contains(Measure.OVERLOAD))
        {
            planOverload(steps);
        }
        if (measures.contains(Measure.PRIORITY))
        {
            planPriority(steps);
        }
        return steps;
    }

    @FunctionalInterface
    private interface PassPlan
    {
        void plan(List<Step> steps, String passLabel);
    }

    private void planPasses(final List<Step> steps, final Measure measure, final PassPlan plan)
    {
        if (measures.contains(measure))
        {
            for (int pass = 1; pass <= profile.passes(); pass++)
            {
                plan.plan(steps, passLabel(pass));
            }
        }
    }

    private void planJitWarmup(final List<Step> steps)
    {
        for (final Workload workload : profile.workloads())
        {
            for (final ContenderKind kind : ContenderKind.contenders())
            {
                steps.add(new Step("JIT warm-up " + workload.label() + " " + kind.label(), seconds(profile.jitWarmup()),
                    () -> withContender(kind, CAPACITY, contender ->
                    {
                        WarmupRun.run(contender, workload, profile.jitWarmup());
                        return null;
                    })));
            }
        }
    }

    private void planSaturation(final List<Step> steps, final String pass)
    {
        for (final SaturationCase saturationCase : profile.saturationCases())
        {
            for (final ContenderKind kind : ContenderKind.contenders())
            {
                if (saturationCase.producers() <= kind.maxProducers())
                {
                    steps.add(new Step(label(Measure.SATURATION, saturationCase.workload(), saturationCase.producers() + "p", kind) + pass,
                        seconds(profile.warmup()) + seconds(profile.saturation()), () -> withContender(kind, CAPACITY, contender ->
                        SaturationRun.run(contender, saturationCase.workload(), saturationCase.producers(),
                            profile.warmup(), profile.saturation()))));
                }
            }
            // What the default costs without its latency histograms, and what the ring costs with no work behind it.
            for (final boolean noCall : new boolean[] {false, true})
            {
                steps.add(new Step(label(Measure.SATURATION, saturationCase.workload(), saturationCase.producers() + "p",
                    ContenderKind.RING_BACKOFF) + (noCall ? " no call" : " no metrics") + pass,
                    seconds(profile.warmup()) + seconds(profile.saturation()),
                    () -> run(new RingbridgeContender(ContenderKind.RING_BACKOFF, plugin, CAPACITY, /* metrics */ noCall, noCall),
                        contender -> SaturationRun.run(contender, saturationCase.workload(), saturationCase.producers(),
                            profile.warmup(), profile.saturation()))));
            }
        }
    }

    /** Every contender's blocking call, then ringbridge's default waiting for its future with {@code submit().join()}. */
    private void planRoundTrip(final List<Step> steps, final String pass)
    {
        final double plannedSeconds = seconds(profile.warmup()) + seconds(profile.roundTrip());
        for (final Workload workload : profile.roundTripWorkloads())
        {
            for (final ContenderKind kind : ContenderKind.contenders())
            {
                steps.add(new Step(label(Measure.ROUND_TRIP, workload, "", kind) + pass, plannedSeconds,
                    () -> withContender(kind, CAPACITY, contender ->
                    RoundTripRun.run(contender, workload, profile.warmup(), profile.roundTrip(), log))));
            }
            steps.add(new Step(label(Measure.ROUND_TRIP, workload, "submit().join()", ContenderKind.RING_BACKOFF) + pass, plannedSeconds,
                () -> run(new SubmitJoinContender(ContenderKind.RING_BACKOFF.start(plugin, CAPACITY)),
                    contender -> RoundTripRun.run(contender, workload, profile.warmup(), profile.roundTrip(), log))));
        }
    }

    /** Every contender and the floor (no call at all), at each fraction of the baseline's saturation. */
    private void planConstantRate(final List<Step> steps, final String pass)
    {
        for (final Workload workload : profile.constantRateWorkloads())
        {
            for (final double fraction : profile.rateFractions())
            {
                for (final ContenderKind kind : ContenderKind.values())
                {
                    steps.add(new Step(label(Measure.CONSTANT_RATE, workload, Math.round(fraction * 100) + "%", kind) + pass,
                        seconds(profile.warmup()) + seconds(profile.constantRate()), () -> withContender(kind, CAPACITY, contender ->
                        ConstantRateRun.run(contender, workload, fraction * baselineSaturation(workload), fraction,
                            profile.warmup(), profile.constantRate(), log))));
                }
            }
        }
    }

    private void planBlockedProducers(final List<Step> steps)
    {
        for (final ContenderKind kind : ContenderKind.contenders())
        {
            if (kind.maxProducers() >= profile.blockedProducers())
            {
                steps.add(new Step(label(Measure.BLOCKED_PRODUCERS, Workload.SLEEP_1MS, profile.blockedProducers() + "p", kind),
                    seconds(profile.warmup()) + seconds(profile.blocked()), () -> withContender(kind, BLOCKED_CAPACITY, contender ->
                    BlockedProducersRun.run(contender, profile.blockedProducers(), profile.warmup(), profile.blocked()))));
            }
        }
    }

    /**
     * Twice the plugin's own saturation rate of 1 ms sleeps (its direct calls, timed once before the first step: the
     * dispatcher's saturation is at most that), offered for 3 s (the profile's constant-rate time in smoke) to
     * ring-backoff without and with a deadline, and to the baseline; answers count as good within 5 ms of their
     * intended send time. The dispatcher's deadline is one to start the call, so the contender gives each call the
     * 5 ms less two mean service times ({@link #startDeadline}): a call started by then is answered in time.
     */
    private void planOverload(final List<Step> steps)
    {
        final Workload workload = Workload.SLEEP_1MS;
        final Duration deadline = Duration.ofMillis(5);
        final Duration measure = "smoke".equals(profile.name()) ? profile.constantRate() : Duration.ofSeconds(3);
        final double planned = seconds(profile.warmup()) + seconds(measure) + 0.2;
        steps.add(new Step(label(Measure.OVERLOAD, workload, "2x", ContenderKind.RING_BACKOFF), planned,
            () -> overload(() -> ContenderKind.RING_BACKOFF.start(plugin, CAPACITY), workload, deadline, measure)));
        steps.add(new Step(label(Measure.OVERLOAD, workload, "2x", ContenderKind.RING_BACKOFF) + "+deadline", planned,
            () -> overload(() -> RingbridgeContender.withDeadline(ContenderKind.RING_BACKOFF, plugin, CAPACITY,
                startDeadline(deadline)), workload, deadline, measure)));
        steps.add(new Step(label(Measure.OVERLOAD, workload, "2x", ContenderKind.BASELINE), planned,
            () -> overload(() -> ContenderKind.BASELINE.start(plugin, CAPACITY), workload, deadline, measure)));
    }

    /** Urgent 1 ms sleeps at a tenth of the plugin's saturation beside a full normal lane, with and without a high lane. */
    private void planPriority(final List<Step> steps)
    {
        final Workload workload = Workload.SLEEP_1MS;
        final Duration measure = "smoke".equals(profile.name()) ? profile.constantRate() : Duration.ofSeconds(3);
        final Duration fill = Duration.ofMillis(300);
        for (final boolean lanes : new boolean[] {true, false})
        {
            steps.add(new Step(label(Measure.PRIORITY, workload, "10%", ContenderKind.RING_BACKOFF) + (lanes ? "+lanes" : ""),
                seconds(fill) + seconds(measure) + 0.3,
                () -> PriorityRun.run(plugin, lanes, workload, 0.1 * directSaturation(workload), fill, measure)));
        }
    }

    /**
     * Eight producers of 1 ms sleeps through pools of 1, 2, 4 and 8 instances (how far instances scale when the plugin,
     * not the CPU, is the bottleneck), then 64-byte echoes through the single dispatcher, {@code pool-1} and
     * {@code pool-2} (what routing costs, and what a second owner thread buys on this machine's cores).
     */
    private void planPoolScaling(final List<Step> steps, final String pass)
    {
        final int producers = 8;
        // A 1 ms call completes a thousand times a second per instance: the window must hold many of them, and the
        // queue must be short, or producers blocked on a full ring of 1024 would be woken (a quarter of it freed)
        // less often than the window lasts.
        final Duration sleepWindow = "smoke".equals(profile.name()) ? profile.saturation() : Duration.ofSeconds(1);
        for (final int size : new int[] {1, 2, 4, 8})
        {
            steps.add(new Step(label(Measure.POOL_SCALING, Workload.SLEEP_1MS, producers + "p", ContenderKind.RING_BACKOFF) + " pool-"
                + size + pass, seconds(profile.warmup()) + seconds(sleepWindow) + 0.1,
                () -> poolScaling(new PoolContender(plugin.libraryPath(), size, BLOCKED_CAPACITY), Workload.SLEEP_1MS, producers, sleepWindow)));
        }
        final double planned = seconds(profile.warmup()) + seconds(profile.saturation()) + 0.1;
        steps.add(new Step(label(Measure.POOL_SCALING, Workload.ECHO_64, producers + "p", ContenderKind.RING_BACKOFF) + pass, planned,
            () -> poolScaling(ContenderKind.RING_BACKOFF.start(plugin, CAPACITY), Workload.ECHO_64, producers, profile.saturation())));
        for (final int size : new int[] {1, 2})
        {
            steps.add(new Step(label(Measure.POOL_SCALING, Workload.ECHO_64, producers + "p", ContenderKind.RING_BACKOFF) + " pool-"
                + size + pass, planned, () -> poolScaling(new PoolContender(plugin.libraryPath(), size, CAPACITY), Workload.ECHO_64, producers,
                profile.saturation())));
        }
    }

    private ScenarioResult poolScaling(final Contender contender, final Workload workload, final int producers, final Duration window)
        throws Exception
    {
        return run(contender, started -> SaturationRun.run(Measure.POOL_SCALING, started, workload, producers, profile.warmup(), window));
    }

    /**
     * The dispatcher's deadline is one to start a call, not to answer it: a call started just before it is answered a
     * service time later, and a 1 ms sleep overshoots (1.2-1.3 ms here). Two mean service times (timed with the
     * offered rate) leave room for that, so that a call the owner starts is answered within {@code deadline}.
     */
    private Duration startDeadline(final Duration deadline)
    {
        final long meanServiceNanos = Math.round(2e9 / overloadRate);
        return deadline.minusNanos(2 * meanServiceNanos);
    }

    /** Times the plugin's saturation before the contender exists (it alone may call the plugin while it lives). */
    private ScenarioResult overload(final java.util.function.Supplier<Contender> start, final Workload workload,
        final Duration deadline, final Duration measure) throws Exception
    {
        if (Double.isNaN(overloadRate))
        {
            overloadRate = 2 * directSaturation(workload);
        }
        final double rate = overloadRate;
        return run(start.get(), contender -> OverloadRun.run(contender, workload, rate, deadline, profile.warmup(), measure));
    }

    /** Calls per second of {@code workload} made directly on this thread (no contender is alive between steps). */
    private double directSaturation(final Workload workload) throws Exception
    {
        final int calls = 200;
        final long start = System.nanoTime();
        for (int i = 0; i < calls; i++)
        {
            plugin.call(workload.typeTag(), workload.json());
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    private String passLabel(final int pass)
    {
        return profile.passes() == 1 ? "" : " (pass " + pass + "/" + profile.passes() + ")";
    }

    /** Each asynchronous contender, then ringbridge's default without metrics and under a JFR recording; the profile's rounds are split over the passes. */
    private void planHandlerCost(final List<Step> steps, final String pass)
    {
        final int calls = CAPACITY - 1;
        final int rounds = Math.max(1, profile.handlerCostRounds() / profile.passes());
        // A round: the direct calls, 1 ms of sleep, then the drain; the warm-up rounds come on top.
        final double plannedSeconds = (rounds + Math.max(3, rounds / 4)) * 0.003;
        for (final Workload workload : profile.handlerCostWorkloads())
        {
            for (final ContenderKind kind : ContenderKind.contenders())
            {
                if (!kind.synchronous())
                {
                    steps.add(new Step(label(Measure.HANDLER_COST, workload, "", kind) + pass, plannedSeconds,
                        () -> withContender(kind, CAPACITY, contender -> HandlerCostRun.run(contender, plugin, workload, calls, rounds))));
                }
            }
            steps.add(new Step(label(Measure.HANDLER_COST, workload, "no metrics", ContenderKind.RING_BACKOFF) + pass, plannedSeconds,
                () -> run(new RingbridgeContender(ContenderKind.RING_BACKOFF, plugin, CAPACITY, false),
                    contender -> HandlerCostRun.run(contender, plugin, workload, calls, rounds))));
            steps.add(new Step(label(Measure.HANDLER_COST, workload, "JFR on", ContenderKind.RING_BACKOFF) + pass, plannedSeconds,
                () -> run(RingbridgeContender.withFlightRecording(ContenderKind.RING_BACKOFF, plugin, CAPACITY),
                    contender -> HandlerCostRun.run(contender, plugin, workload, calls, rounds))));
        }
    }

    /** The baseline's one-producer saturation throughput of {@code workload}, over every pass measured earlier in this run. */
    private double baselineSaturation(final Workload workload)
    {
        return PassMerge.merge(results).stream()
            .filter(r -> r.measure() == Measure.SATURATION && r.kind() == ContenderKind.BASELINE
                && r.workload() == workload && r.producers() == 1)
            .mapToDouble(ScenarioResult::callsPerSecond)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no baseline saturation result for " + workload.label()));
    }

    private ScenarioResult withContender(final ContenderKind kind, final int capacity, final ContenderRun body) throws Exception
    {
        return run(kind.start(plugin, capacity), body);
    }

    private static ScenarioResult run(final Contender contender, final ContenderRun body) throws Exception
    {
        try (contender)
        {
            return body.run(contender);
        }
    }

    private static String label(final Measure measure, final Workload workload, final String condition, final ContenderKind kind)
    {
        return String.format(Locale.ROOT, "%s %s %s %s", measure.slug(), workload.label(), condition, kind.label())
            .replace("  ", " ");
    }

    private static double seconds(final Duration duration)
    {
        return duration.toNanos() / 1e9;
    }
}
