package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.contender.ContenderKind;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassMergeTest
{
    @Test
    void shouldKeepEveryPassAndAddUpTheirSamples()
    {
        final ScenarioResult first = roundTrip(100, 1_000);
        final ScenarioResult second = roundTrip(300, 3_000);
        final ScenarioResult third = roundTrip(200, 2_000);

        final List<ScenarioResult> merged = PassMerge.merge(List.of(first, second, third));

        assertEquals(1, merged.size());
        final ScenarioResult result = merged.getFirst();
        assertEquals(List.of(first, second, third), result.passes());
        assertEquals(6, result.samples());
        assertEquals(6, result.latency().getTotalCount());
        assertEquals(2_000, result.callsPerSecond(), 1e-9);
        final Spread rates = result.spread(ScenarioResult::callsPerSecond);
        assertEquals(new Spread(1_000, 2_000, 3_000, 3), rates);
    }

    @Test
    void shouldBeItsOwnPassWhenMeasuredOnce()
    {
        final ScenarioResult once = roundTrip(100, 1_000);
        assertSame(once, PassMerge.merge(List.of(once)).getFirst());
        assertEquals(List.of(once), once.passes());
        assertEquals(1, once.spread(ScenarioResult::callsPerSecond).count());
    }

    @Test
    void shouldTakeTheMedianOfAnEvenCountAsTheMeanOfTheMiddleTwo()
    {
        assertEquals(new Spread(1, 2.5, 4, 4), Spread.of(new double[] {4, 1, 3, 2}));
        assertTrue(Spread.of(new double[] {1, 3}).contains(2));
        assertFalse(Spread.of(new double[] {2}).contains(2), "one pass has no spread");
        assertEquals(0, Spread.of(new double[] {Double.NaN}).count());
    }

    private static ScenarioResult roundTrip(final long latencyNanos, final double callsPerSecond)
    {
        final Histogram latency = new Histogram(3);
        latency.recordValue(latencyNanos);
        latency.recordValue(latencyNanos);
        return new ScenarioResult(Measure.ROUND_TRIP, ContenderKind.JCTOOLS, "jctools", Workload.ECHO_64, 1, Double.NaN, Double.NaN,
            callsPerSecond, 2, latency, 1, 300, new ScenarioResult.Collections(0, 0), null, null, List.of());
    }
}
