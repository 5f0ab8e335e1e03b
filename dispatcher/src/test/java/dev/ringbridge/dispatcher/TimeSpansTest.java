package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimeSpansTest
{
    @Test
    void shouldReadJfrSpansInEveryUnit()
    {
        assertEquals(10_000_000L, TimeSpans.parseNanos("10 ms"));
        assertEquals(0L, TimeSpans.parseNanos("0 ns"));
        assertEquals(20_000L, TimeSpans.parseNanos("20us"));
        assertEquals(2_000_000_000L, TimeSpans.parseNanos(" 2 s "));
        assertEquals(60_000_000_000L, TimeSpans.parseNanos("1 m"));
        assertEquals(3_600_000_000_000L, TimeSpans.parseNanos("1 h"));
        assertEquals(86_400_000_000_000L, TimeSpans.parseNanos("1 d"));
        assertEquals(Long.MAX_VALUE, TimeSpans.parseNanos("infinity"));
        assertEquals(Long.MAX_VALUE, TimeSpans.parseNanos("999999999 d"), "saturates instead of overflowing");
    }

    @Test
    void shouldRefuseWhatIsNotASpan()
    {
        assertEquals(-1, TimeSpans.parseNanos(null));
        assertEquals(-1, TimeSpans.parseNanos(""));
        assertEquals(-1, TimeSpans.parseNanos("ms"));
        assertEquals(-1, TimeSpans.parseNanos("10 parsecs"));
        assertEquals(-1, TimeSpans.parseNanos("-5 ms"));
        assertEquals(-1, TimeSpans.parseNanos("1234567890123456789 ns"));
    }
}
