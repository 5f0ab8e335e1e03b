package dev.ringbridge.bench;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.ringbridge.bench.Workload.BINARY_SMALL;
import static dev.ringbridge.bench.Workload.ECHO_4K;
import static dev.ringbridge.bench.Workload.ECHO_64;

/**
 * How long and how widely the suite measures. {@code short} takes about two minutes on two cores,
 * {@code full} about half an hour, {@code smoke} about fifteen seconds (for the unit test).
 *
 * @param name                  the profile's name.
 * @param jitWarmup             unmeasured time each contender runs each workload before the first scenario.
 * @param passes                how many interleaved passes each timed scenario is split into.
 * @param warmup                unmeasured time before each pass of a timed scenario.
 * @param saturation            measured time of one pass of a saturation scenario.
 * @param roundTrip             measured time of one pass of a round-trip scenario.
 * @param constantRate          measured time of one pass of a constant-rate scenario.
 * @param blocked               measured time of a blocked-producers scenario.
 * @param logInterval           the interval of the HdrHistogram log.
 * @param saturationCases       workload and producer count of each saturation scenario.
 * @param roundTripWorkloads    workloads of the round-trip scenarios.
 * @param constantRateWorkloads workloads of the constant-rate scenarios; each needs a one-producer saturation case.
 * @param rateFractions         offered rates, as fractions of the baseline's one-producer saturation throughput.
 * @param handlerCostWorkloads  workloads of the handler-cost scenarios.
 * @param handlerCostRounds     measured rounds of each handler-cost scenario, split over the passes.
 * @param blockedProducers      producer threads of the blocked-producers scenarios.
 */
public record BenchProfile(
    String name,
    Duration jitWarmup,
    int passes,
    Duration warmup,
    Duration saturation,
    Duration roundTrip,
    Duration constantRate,
    Duration blocked,
    Duration logInterval,
    List<SaturationCase> saturationCases,
    List<Workload> roundTripWorkloads,
    List<Workload> constantRateWorkloads,
    List<Double> rateFractions,
    List<Workload> handlerCostWorkloads,
    int handlerCostRounds,
    int blockedProducers)
{
    /**
     * One saturation scenario's shape.
     *
     * @param workload  the call.
     * @param producers producer threads.
     */
    public record SaturationCase(Workload workload, int producers)
    {
    }

    /**
     * Checks that every constant-rate workload has the baseline measurement its rates derive from.
     */
    public BenchProfile
    {
        for (final Workload workload : constantRateWorkloads)
        {
            if (!saturationCases.contains(new SaturationCase(workload, 1)))
            {
                throw new IllegalArgumentException("profile " + name + " offers constant rates of " + workload.label()
                    + " but has no one-producer saturation case to derive them from");
            }
        }
    }

    /**
     * @param name smoke, short or full.
     * @return the profile.
     * @throws IllegalArgumentException for another name.
     */
    public static BenchProfile named(final String name)
    {
        return switch (name)
        {
            // Every contender, scenario and report path once, in about fifteen seconds; the blocked producers cover several producers.
            case "smoke" -> new BenchProfile("smoke", millis(30), 1, millis(30), millis(70), millis(70), millis(100), millis(100), millis(50),
                List.of(new SaturationCase(ECHO_64, 1), new SaturationCase(BINARY_SMALL, 1)),
                List.of(ECHO_64, BINARY_SMALL), List.of(ECHO_64), List.of(0.5), List.of(ECHO_64), 5, 2);
            case "short" -> new BenchProfile("short", millis(150), 2, millis(100), millis(150), millis(200), millis(250), millis(300), millis(100),
                List.of(new SaturationCase(ECHO_64, 1), new SaturationCase(ECHO_64, 2), new SaturationCase(ECHO_64, 4),
                    new SaturationCase(ECHO_64, 8), new SaturationCase(ECHO_4K, 1), new SaturationCase(ECHO_4K, 4),
                    new SaturationCase(BINARY_SMALL, 1), new SaturationCase(BINARY_SMALL, 4)),
                List.of(ECHO_64, ECHO_4K, BINARY_SMALL), List.of(ECHO_64), List.of(0.25, 0.5, 0.75),
                List.of(ECHO_64, BINARY_SMALL), 60, 4);
            case "full" -> new BenchProfile("full", millis(1000), 3, millis(500), millis(1000), millis(2000), millis(3000), millis(3000),
                millis(1000), allSaturationCases(), List.of(ECHO_64, ECHO_4K, BINARY_SMALL), List.of(ECHO_64, BINARY_SMALL),
                List.of(0.25, 0.5, 0.75), List.of(ECHO_64, BINARY_SMALL), 200, 4);
            default -> throw new IllegalArgumentException("unknown profile \"" + name + "\": use smoke, short or full");
        };
    }

    /**
     * @return every workload some scenario calls (the sleep of the blocked producers aside).
     */
    public List<Workload> workloads()
    {
        return Stream.of(saturationCases.stream().map(SaturationCase::workload), roundTripWorkloads.stream(),
                constantRateWorkloads.stream(), handlerCostWorkloads.stream())
            .flatMap(stream -> stream)
            .distinct()
            .sorted()
            .toList();
    }

    private static List<SaturationCase> allSaturationCases()
    {
        return List.of(ECHO_64, ECHO_4K, BINARY_SMALL).stream()
            .flatMap(workload -> List.of(1, 2, 4, 8).stream().map(producers -> new SaturationCase(workload, producers)))
            .toList();
    }

    private static Duration millis(final long millis)
    {
        return Duration.ofMillis(millis);
    }
}
