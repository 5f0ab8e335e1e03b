package dev.ringbridge.dispatcher;

import java.util.Locale;

/** JFR's text for a time span ({@code "10 ms"}, {@code "0 ns"}, {@code "1 s"}, {@code "infinity"}) as nanoseconds. */
final class TimeSpans
{
    private TimeSpans()
    {
    }

    /**
     * Returns the span in nanoseconds, {@link Long#MAX_VALUE} for {@code infinity}, or -1 when the text is not a span.
     *
     * @param text a number, optionally spaced from a unit among ns, us, ms, s, m, h and d.
     * @return the span in nanoseconds, {@link Long#MAX_VALUE} for {@code infinity}, or -1.
     */
    static long parseNanos(final String text)
    {
        if (text == null)
        {
            return -1;
        }
        final String span = text.trim().toLowerCase(Locale.ROOT);
        if (span.equals("infinity"))
        {
            return Long.MAX_VALUE;
        }
        int digits = 0;
        while (digits < span.length() && Character.isDigit(span.charAt(digits)))
        {
            digits++;
        }
        if (digits == 0 || digits > 18)
        {
            return -1;
        }
        final long amount = Long.parseLong(span, 0, digits, 10);
        final long unit = switch (span.substring(digits).trim())
        {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> -1L;
        };
        if (unit < 0)
        {
            return -1;
        }
        return amount > Long.MAX_VALUE / unit ? Long.MAX_VALUE : amount * unit;
    }
}
