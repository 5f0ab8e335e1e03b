package dev.ringbridge.bench.scenario;

import java.util.Arrays;

/**
 * How far one figure moved across the passes of a measurement: the lowest, median and highest per-pass
 * value. The median of an even count is the mean of the middle two.
 *
 * @param min    the lowest value.
 * @param median the median.
 * @param max    the highest value.
 * @param count  how many values; 1 means there is no spread to speak of.
 */
public record Spread(double min, double median, double max, int count)
{
    /**
     * @param values one value per pass; NaN values (a figure a pass could not give) are left out.
     * @return their spread; NaN throughout, with count 0, when no value is left.
     */
    public static Spread of(final double[] values)
    {
        final double[] sorted = Arrays.stream(values).filter(value -> !Double.isNaN(value)).sorted().toArray();
        final int n = sorted.length;
        if (n == 0)
        {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        final double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(sorted[0], median, sorted[n - 1], n);
    }

    /**
     * @param value a value.
     * @return true when the value lies between the lowest and the highest (inclusive), so these passes
     *         cannot tell which side of it the truth is on.
     */
    public boolean contains(final double value)
    {
        return count > 1 && value >= min && value <= max;
    }
}
