package dev.ringbridge.ffi.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

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

    @Test
    void shouldEscapeAndCutUtf8BytesStatingTheirSize()
    {
        final byte[] forged = "ok\r\n\u001b[2J".getBytes(StandardCharsets.UTF_8);
        assertEquals("ok\\u000d\\u000a\\u001b[2J", UntrustedText.escapeUtf8(forged, forged.length));
        assertEquals("ok\\u000d", UntrustedText.escapeUtf8(forged, 3));
        assertEquals("\ufffd", UntrustedText.escapeUtf8(new byte[] {(byte)0xff}, 1));

        final byte[] large = "\u00e9".repeat(70_000).getBytes(StandardCharsets.UTF_8);
        assertEquals("\u00e9".repeat(100) + "... [cut: 140000 bytes in all]", UntrustedText.escapeUtf8(large, large.length));
        final byte[] controls = new byte[1_000];
        final String escaped = UntrustedText.escapeUtf8(controls, controls.length);
        assertEquals("\\u0000".repeat(UntrustedText.MAX_SHOWN / 6) + "... [cut: 1000 bytes in all]", escaped);
    }
}
