package dev.ringbridge.ffi.bundle;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UntrustedTextTest
{
    @Test
    void shouldLeavePrintableTextAlone()
    {
        assertEquals("lib/linux-x86_64/release/lib\u00e9\uD83D\uDE00.so 'q' \\", UntrustedText.escape("lib/linux-x86_64/release/lib\u00e9\uD83D\uDE00.so 'q' \\"));
        assertEquals("null", UntrustedText.escape(null));
    }

    @Test
    void shouldEscapeControlFormatAndSeparatorCharacters()
    {
        assertEquals("a\\u000d\\u000aINFO forged\\u001b[31m\\u007f\\u009b2J\\u202eevil\\u200b\\u2028\\ud800",
            UntrustedText.escape("a\r\nINFO forged\u001b[31m\u007f\u009b2J\u202eevil\u200b\u2028\uD800"));
    }

    @Test
    void shouldCutLongTextStatingItsLength()
    {
        final String shown = UntrustedText.escape("A".repeat(600_067));
        assertEquals("A".repeat(UntrustedText.MAX_SHOWN) + "... [cut: 600067 chars in all]", shown);
        final String escaped = UntrustedText.escape("\n".repeat(1_000));
        assertTrue(escaped.length() <= UntrustedText.MAX_SHOWN + 40 && escaped.endsWith("... [cut: 1000 chars in all]"), escaped);
        assertEquals("B".repeat(UntrustedText.MAX_SHOWN), UntrustedText.escape("B".repeat(UntrustedText.MAX_SHOWN)));
    }
}
