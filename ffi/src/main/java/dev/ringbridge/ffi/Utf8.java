package dev.ringbridge.ffi;

import java.nio.charset.StandardCharsets;

/**
 * Checks that bytes are well-formed UTF-8 without allocating, so a bad request is refused on the
 * Java side with the offset of the first bad byte instead of surfacing as a plugin parse error.
 * Safe from any thread.
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * Encodes text as UTF-8, refusing lone UTF-16 surrogates instead of replacing them with {@code ?}.
     *
     * @param text the text.
     * @param what what it is, for the message.
     * @return its UTF-8 bytes.
     * @throws IllegalArgumentException naming the index of a lone surrogate.
     */
    public static byte[] encode(final String text, final String what)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // getBytes replaces a lone surrogate with '?'. Text that encodes to one byte per char is ASCII, possibly
        // with such replacements: only a '?' in it calls for a look at the chars.
        if (utf8.length != text.length() || indexOfQuestionMark(utf8) >= 0)
        {
            checkSurrogates(text, what);
        }
        return utf8;
    }

    private static int indexOfQuestionMark(final byte[] bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == '?')
            {
                return i;
            }
        }
        return -1;
    }

    private static void checkSurrogates(final String text, final String what)
    {
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (Character.isSurrogate(c))
            {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
                {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException(what + " has a lone UTF-16 surrogate U+"
                    + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i + " and cannot be encoded as UTF-8");
            }
        }
    }

    /**
     * @param bytes the bytes to check.
     * @param what  what they are, for the message.
     * @throws IllegalArgumentException naming the first bad byte and its offset.
     */
    public static void check(final byte[] bytes, final String what)
    {
        final int bad = firstInvalid(bytes, 0, bytes.length);
        if (bad >= 0)
        {
            throw new IllegalArgumentException(
                what + " is not valid UTF-8: bad byte 0x" + Integer.toHexString(bytes[bad] & 0xFF) + " at offset " + bad);
        }
    }

    /**
     * @return the index of the first byte that is not part of a well-formed UTF-8 sequence, or -1.
     */
    static int firstInvalid(final byte[] bytes, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int b = bytes[i];
            if (b >= 0)
            {
                i++;
                continue;
            }
            final int lead = b & 0xFF;
            final int extra;
            final int min;
            if (lead >= 0xC2 && lead <= 0xDF)
            {
                extra = 1;
                min = 0x80;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                extra = 2;
                min = 0x800;
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                extra = 3;
                min = 0x10000;
            }
            else
            {
                return i;
            }
            if (i + extra >= end)
            {
                return i;
            }
            int codePoint = lead & (0x3F >> extra);
            for (int k = 1; k <= extra; k++)
            {
                final int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80)
                {
                    return i;
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
            }
            // Overlong forms, UTF-16 surrogates and values above U+10FFFF are not UTF-8.
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                return i;
            }
            i += extra + 1;
        }
        return -1;
    }
}
