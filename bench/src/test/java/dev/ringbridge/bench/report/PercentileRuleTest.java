package dev.ringbridge.bench.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentileRuleTest
{
    @Test
    void shouldSupportAPercentileFromOneOverOneMinusPSamples()
    {
        assertTrue(PercentileRule.supports(10_000, 99.99));
        assertFalse(PercentileRule.supports(9_999, 99.99));
        assertTrue(PercentileRule.supports(1_000, 99.9));
        assertFalse(PercentileRule.supports(999, 99.9));
        assertTrue(PercentileRule.supports(100, 99));
        assertTrue(PercentileRule.supports(2, 50));
        assertFalse(PercentileRule.supports(1, 50));
        assertFalse(PercentileRule.supports(0, 0));
        assertEquals(99.9, PercentileRule.highest(1_000), 1e-9);
        assertEquals(0, PercentileRule.highest(1));
    }

    @Test
    void shouldCutThePercentileFileAtTheLastSupportedPercentile()
    {
        final Histogram latency = new Histogram(3);
        for (int i = 1; i <= 1_000; i++)
        {
            latency.recordValue(i * 1_000L);
        }
        final String file = ReportWriter.percentileDistribution(latency);
        final double[] percentiles = file.lines()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#") && Character.isDigit(line.charAt(0)))
            .mapToDouble(line -> Double.parseDouble(line.split("\\s+")[1]))
            .toArray();
        assertTrue(percentiles.length > 10, "the rows up to p99.9 stay");
        final double last = Arrays.stream(percentiles).max().orElseThrow();
        assertTrue(last > 0.998 && last <= 0.999, "no row beyond p99.9 with 1,000 samples: " + last);
        assertTrue(file.contains("#[Mean") && file.contains("Total count"), "HdrHistogram's summary stays");
        assertTrue(file.contains("#[Rows stop at percentile 99.9000"), file);
    }
}
