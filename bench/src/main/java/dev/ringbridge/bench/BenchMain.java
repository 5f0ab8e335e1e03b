package dev.ringbridge.bench;

import dev.ringbridge.bench.report.Environment;
import dev.ringbridge.bench.report.ReportWriter;
import dev.ringbridge.bench.scenario.IntervalLog;
import dev.ringbridge.bench.scenario.Measure;
import dev.ringbridge.bench.scenario.ScenarioResult;
import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.LogLevel;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.bundle.BundleLoader;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the benchmark suite against the real {@code sync-demo} bundle and writes the report.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... dev.ringbridge.bench.BenchMain \
 *     [--profile smoke|short|full] [--measures all|m1,m2,...] [--out DIR] --bundle sync-demo-0.1.0.rbp
 * </pre>
 *
 * <p>The Maven profile {@code bench} runs it: {@code mvn -q -Pbench verify -DskipTests}. Progress goes to
 * standard error, the result table and the target verdicts to standard output. {@code --measures} runs only the named
 * measures (their slugs, as in {@code results.csv}: saturation, round-trip, constant-rate, handler-cost,
 * blocked-producers, overload, priority, pool-scaling); constant-rate brings saturation along, which it is paced by.
 */
public final class BenchMain
{
    private static final String USAGE = "usage: BenchMain [--profile smoke|short|full] [--measures all|m1,m2,...] [--out DIR] --bundle PATH";

    private BenchMain()
    {
    }

    /**
     * @param args see the class comment.
     * @throws Exception when the suite cannot run; the message says why.
     */
    public static void main(final String[] args) throws Exception
    {
        run(args, System.out, System.err);
    }

    /**
     * Runs the suite and writes the report.
     *
     * @param args     command-line arguments.
     * @param out      where the table and verdicts go.
     * @param progress where the progress line goes.
     * @return the HTML report's path.
     * @throws Exception when the suite cannot run.
     */
    public static Path run(final String[] args, final PrintStream out, final PrintStream progress) throws Exception
    {
        final Map<String, String> options = parse(args);
        final BenchProfile profile = BenchProfile.named(options.getOrDefault("--profile", "short"));
        final Path directory = Files.createDirectories(Path.of(options.getOrDefault("--out", "bench/target/bench-report")));
        final Path bundle = Path.of(required(options, "--bundle"));

        // Warnings only: a log line per call would measure the logger.
        final PluginConfig config = PluginConfig.builder().logLevel(LogLevel.WARN).build();
        final List<ScenarioResult> results;
        try (NativePlugin plugin = BundleLoader.builder().verifySignatures(false).build().load(bundle, config);
             IntervalLog log = new IntervalLog(directory.resolve("latency.hlog"), profile.logInterval()))
        {
            checkAnswers(plugin);
            progress.println("ringbridge bench: profile " + profile.name() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, writing to " + directory.toAbsolutePath());
            results = new Suite(profile, measures(options.getOrDefault("--measures", "all")), plugin, log).run(progress);
        }
        final Environment environment = Environment.capture(settings(profile, bundle));
        final Path report = new ReportWriter(directory).write(environment, results);
        out.print(ReportWriter.table(results));
        out.println();
        out.println("Targets (ratios from this run):");
        out.print(ReportWriter.verdicts(results));
        out.println();
        out.println("Report: " + report.toAbsolutePath());
        return report;
    }

    /** Fails fast, before any timing, if the plugin does not answer as the workloads expect. */
    private static void checkAnswers(final NativePlugin plugin) throws PluginException
    {
        try (CallSession session = plugin.openSession())
        {
            for (final Workload workload : List.of(Workload.ECHO_64, Workload.ECHO_4K))
            {
                final String answer = session.call(workload.typeTag(), workload.json());
                final int length = workload.json().length() - "{\"message\":\"\"}".length();
                if (!answer.contains("\"length\":" + length))
                {
                    throw new IllegalStateException("echo answered " + answer.substring(0, Math.min(80, answer.length()))
                        + " for a " + length + "-byte message");
                }
            }
            final byte[] answer = session.callRaw(Workload.BINARY_MESSAGE_ID, Workload.binaryRequest());
            final String value = new String(answer, 4, "value_for_bench_key".length(), StandardCharsets.UTF_8);
            if (answer.length != Workload.BINARY_RESPONSE_BYTES || !value.equals("value_for_bench_key"))
            {
                throw new IllegalStateException("binary message 1 answered " + answer.length + " bytes with value " + value);
            }
        }
    }

    private static Map<String, String> settings(final BenchProfile profile, final Path bundle)
    {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("Profile", profile.name());
        settings.put("Durations", "JIT warm-up " + millis(profile.jitWarmup()) + " per contender and workload; each timed "
            + "scenario in " + profile.passes() + " interleaved pass(es) of warm-up " + millis(profile.warmup()) + " + measured "
            + "saturation " + millis(profile.saturation()) + ", round trip " + millis(profile.roundTrip()) + ", constant rate "
            + millis(profile.constantRate()) + "; blocked producers " + millis(profile.blocked()) + "; worker cost "
            + profile.handlerCostRounds() + " rounds of " + (Suite.CAPACITY - 1) + " calls, split over the passes");
        settings.put("Queue capacity", Suite.CAPACITY + " calls for every queue and the ring (" + Suite.BLOCKED_CAPACITY
            + " for blocked producers)");
        settings.put("Peers", "executor: ThreadPoolExecutor(1, 1) over an ArrayBlockingQueue and supplyAsync, a producer facing a "
            + "full queue waits in put; jctools: MpscArrayQueue drained by one thread idling 10 spins, 5 yields, then parks of "
            + "1 µs doubling to 1 ms; agrona: ManyToOneConcurrentArrayQueue drained by an AgentRunner with a default "
            + "BackoffIdleStrategy (the same steps); jctools and agrona producers facing a full queue back off by 10 spins, "
            + "5 yields, then parks of 1 µs doubling to 100 µs. Each worker calls through its own CallSession");
        settings.put("Saturation cases", profile.saturationCases().stream()
            .map(c -> c.workload().label() + " x" + c.producers()).collect(Collectors.joining(", ")));
        settings.put("Constant rates", profile.rateFractions().stream().map(f -> Math.round(f * 100) + "%")
            .collect(Collectors.joining(", ")) + " of the baseline's 1-producer saturation, for "
            + profile.constantRateWorkloads().stream().map(Workload::label).collect(Collectors.joining(", ")));
        settings.put("Ringbridge", "PluginDispatcher defaults (metrics on, caller spin per wait mode) except capacity and wait mode");
        settings.put("Plugin", bundle.toAbsolutePath() + ", log level warn");
        return settings;
    }

    private static String millis(final Duration duration)
    {
        return duration.toMillis() + " ms";
    }

    private static Map<String, String> parse(final String[] args)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i];
            if (!List.of("--profile", "--measures", "--out", "--bundle").contains(name) || i + 1 == args.length)
            {
                throw new IllegalArgumentException("bad argument \"" + name + "\"; " + USAGE);
            }
            options.put(name, args[++i]);
        }
        return options;
    }

    /** The measures named by their slugs, or every measure for "all". */
    static Set<Measure> measures(final String names)
    {
        if ("all".equals(names))
        {
            return EnumSet.allOf(Measure.class);
        }
        final Set<Measure> measures = EnumSet.noneOf(Measure.class);
        for (final String name : names.split(","))
        {
            measures.add(Arrays.stream(Measure.values()).filter(m -> m.slug().equals(name.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown measure \"" + name.trim() + "\"; use all or some of "
                    + Arrays.stream(Measure.values()).map(Measure::slug).collect(Collectors.joining(",")))));
        }
        if (measures.contains(Measure.CONSTANT_RATE))
        {
            measures.add(Measure.SATURATION);
        }
        return measures;
    }

    private static String required(final Map<String, String> options, final String name)
    {
        final String value = options.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("missing " + name + "; " + USAGE);
        }
        return value;
    }
}
