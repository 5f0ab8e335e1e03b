package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
