package dev.ringbridge.micrometer;

import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.MetricsSnapshot;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The meters of one latency histogram: a {@link FunctionTimer} {@code <name>} (count and total time since the start,
 * from the cumulative histogram, so rates and means over any window come out right in the backend) and
 * {@link TimeGauge}s {@code <name>.percentile} (tag {@code phi}) and {@code <name>.max} over the latest interval
 * (percentiles cannot be added up over time, so they come from one reader's interval, not from the totals).
 *
 * <p>A percentile over an interval without calls is NaN, not 0: no call is not a fast call, and most backends leave
 * a gap for NaN.
 */
final class LatencyMeters
{
    /** The percentiles published, as {@code phi} tag values and as HdrHistogram percentiles. */
    private static final String[] PHI = {"0.5", "0.99", "0.999"};
    private static final double[] PERCENTILE = {50, 99, 99.9};

    private LatencyMeters()
    {
    }

    /**
     * Registers the timer, percentile gauges and max gauge of one histogram.
     *
     * @param histogram picks the histogram out of a snapshot, null when the snapshot has none (a type without calls).
     */
    static void register(final MeterRegistry registry, final Dispatcher dispatcher, final Readings readings,
        final String name, final String description, final Tags tags, final Function<MetricsSnapshot, Histogram> histogram)
    {
        FunctionTimer.builder(name, dispatcher,
                owner -> totalCount(histogram.apply(readings.totals())),
                owner -> totalNanos(histogram.apply(readings.totals())),
                TimeUnit.NANOSECONDS)
            .description(description + ", since the start")
            .tags(tags)
            .register(registry);
        for (int i = 0; i < PHI.length; i++)
        {
            final double percentile = PERCENTILE[i];
            TimeGauge.builder(name + ".percentile", dispatcher, TimeUnit.NANOSECONDS,
                    owner -> valueAt(histogram.apply(readings.interval()), percentile))
                .description(description + ", percentile over the latest interval")
                .tags(tags)
                .tag("phi", PHI[i])
                .register(registry);
        }
        TimeGauge.builder(name + ".max", dispatcher, TimeUnit.NANOSECONDS,
                owner -> max(histogram.apply(readings.interval())))
            .description(description + ", maximum over the latest interval")
            .tags(tags)
            .register(registry);
    }

    private static long totalCount(final Histogram histogram)
    {
        return histogram == null ? 0 : histogram.getTotalCount();
    }

    /** HdrHistogram keeps no sum: mean times count, exact to the histogram's precision (three digits). */
    private static double totalNanos(final Histogram histogram)
    {
        return histogram == null || histogram.getTotalCount() == 0 ? 0 : histogram.getMean() * histogram.getTotalCount();
    }

    private static double valueAt(final Histogram histogram, final double percentile)
    {
        return histogram == null || histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile);
    }

    private static double max(final Histogram histogram)
    {
        return histogram == null || histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue();
    }
}
