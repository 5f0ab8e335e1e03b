package dev.ringbridge.bench.scenario;

import java.util.Locale;

/**
 * Number formatting shared by the console table and the report.
 */
public final class Units
{
    private Units()
    {
    }

    /**
     * @param value a count or rate.
     * @return e.g. "812k", "3.41M", "950".
     */
    public static String count(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        if (value >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        }
        if (value >= 1e4)
        {
            return String.format(Locale.ROOT, "%.0fk", value / 1e3);
        }
        if (value >= 1e3)
        {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /**
     * @param nanos a duration in nanoseconds.
     * @return microseconds with three significant digits, e.g. "0.412", "47.1", "1830".
     */
    public static String micros(final double nanos)
    {
        if (Double.isNaN(nanos))
        {
            return "-";
        }
        final double micros = nanos / 1000.0;
        if (micros >= 100)
        {
            return String.format(Locale.ROOT, "%.0f", micros);
        }
        if (micros >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", micros);
        }
        if (micros >= 1)
        {
            return String.format(Locale.ROOT, "%.2f", micros);
        }
        return String.format(Locale.ROOT, "%.3f", micros);
    }

    /**
     * @param value a plain number.
     * @param decimals digits after the point.
     * @return the number, or "-" for NaN.
     */
    public static String plain(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
