package dev.ringbridge.bench.report;

/**
 * The one rule for which percentiles a latency sample can report, applied to every table, plot and
 * percentile file: percentile p needs a sample count n of at least 1/(1 - p/100). At that count, one
 * sample is expected above p; with fewer, the figure is only the largest sample seen, whatever it is
 * called (which is why every row also shows its maximum).
 */
final class PercentileRule
{
    /** The rule in words, for the report. */
    static final String STATEMENT = "A percentile p is shown only when its sample count n is at least 1/(1 - p): "
        + "p50 needs 2 samples, p90 10, p99 100, p99.9 1,000, p99.99 10,000. With fewer, less than one sample is "
        + "expected above p, so the figure would only be the largest sample seen (every row shows the maximum anyway).";

    /** Forgives the rounding of 100 - p for percentiles such as 99.99. */
    private static final double SLACK = 1e-9;

    private PercentileRule()
    {
    }

    /**
     * @param count      the number of samples.
     * @param percentile the percentile, 0 to 100.
     * @return true when the sample supports it.
     */
    static boolean supports(final long count, final double percentile)
    {
        return count > 0 && count * (100 - percentile) >= 100 * (1 - SLACK);
    }

    /**
     * @param count the number of samples.
     * @return the highest percentile they support, 100 (1 - 1/n); 0 for a single sample.
     */
    static double highest(final long count)
    {
        return count < 1 ? 0 : 100.0 * (1 - 1.0 / count);
    }
}
