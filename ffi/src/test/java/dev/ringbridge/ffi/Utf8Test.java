package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8Test
{
    @Test
    void shouldAcceptWellFormedText()
    {
        final byte[] text = "a\u00e9\u20ac\uD83D\uDE00z".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, Utf8.firstInvalid(text, 0, text.length));
    }

    @Test
    void shouldFindTheFirstBadByte()
    {
        assertEquals(1, Utf8.firstInvalid(new byte[]{'a', (byte)0x80}, 0, 2), "stray continuation byte");
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte)0xC0, (byte)0xAF}, 0, 2), "overlong form");
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte)0xED, (byte)0xA0, (byte)0x80}, 0, 3), "UTF-16 surrogate");
        assertEquals(1, Utf8.firstInvalid(new byte[]{'a', (byte)0xE2, (byte)0x82}, 0, 3), "truncated sequence");
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte)0xF5, (byte)0x80, (byte)0x80, (byte)0x80}, 0, 4), "above U+10FFFF");
    }

    @Test
    void shouldEncodeWellFormedTextExactlyAsGetBytesDoes()
    {
        for (final String text : new String[] {"", "plain ascii?", "h\u00e9llo \u20ac", "pair \uD83D\uDE00 and ?", "\uD83D\uDE00"})
        {
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Utf8.encode(text, "text"), text);
        }
    }

    @Test
    void shouldRefuseLoneSurrogatesNamingTheCharIndex()
    {
        assertRefused("\uD800", "request has a lone surrogate U+D800 at index 0");
        assertRefused("{\"m\":\"\uDC00\"}", "request has a lone surrogate U+DC00 at index 6");
        assertRefused("ab?\uD83D\uDE00\uD83Dx", "request has a lone surrogate U+D83D at index 5");
        assertRefused("\u00e9\uDE00\uD83D", "request has a lone surrogate U+DE00 at index 1");
        assertRefused("end \uDBFF", "request has a lone surrogate U+DBFF at index 4");
    }

    private static void assertRefused(final String text, final String expected)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Utf8.encode(text, "request"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void shouldFindAQuestionMarkAtEveryPositionOfEveryLength()
    {
        for (int length = 0; length <= 40; length++)
        {
            final byte[] bytes = new byte[length];
            java.util.Arrays.fill(bytes, (byte)'>');
            org.junit.jupiter.api.Assertions.assertFalse(Utf8.hasQuestionMark(bytes), "none in " + length);
            for (int at = 0; at < length; at++)
            {
                bytes[at] = '?';
                org.junit.jupiter.api.Assertions.assertTrue(Utf8.hasQuestionMark(bytes), "at " + at + " of " + length);
                bytes[at] = (byte)0xBF; // '?' | 0x80: the high bit must not fool the word test
                org.junit.jupiter.api.Assertions.assertFalse(Utf8.hasQuestionMark(bytes), "0xBF at " + at + " of " + length);
                bytes[at] = '>';
            }
        }
    }
}
