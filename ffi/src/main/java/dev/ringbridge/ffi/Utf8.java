package dev.ringbridge.ffi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Strict UTF-8 at the boundary to the plugin: Java text is encoded only when it is well-formed
 * UTF-16, and bytes are checked without allocating, so bad input is refused on the Java side, naming
 * where it is bad, instead of reaching the plugin altered or surfacing as a plugin parse error.
 *
 * <p>{@link String#getBytes} replaces a lone UTF-16 surrogate by {@code '?'}: the plugin would see a
 * different text from the one the caller sent. {@link #encode(String, String)} refuses such text.
 * Stateless and safe from any thread.
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * Encodes text as UTF-8, refusing text that UTF-8 cannot represent: a lone surrogate (a high
     * surrogate not followed by a low one, or a low one not preceded by a high one).
     *
     * <p>Costs {@link String#getBytes} plus one pass over the bytes looking for {@code '?'}: each lone
     * surrogate becomes exactly that byte, so only text whose encoding holds a {@code '?'} is scanned
     * for surrogates.
     *
     * @param text the text to encode.
     * @param what what the text is, for the message, such as {@code "request"} or {@code "type tag"}.
     * @return the UTF-8 bytes, exactly those of {@code text.getBytes(UTF_8)}.
     * @throws IllegalArgumentException naming {@code what}, the surrogate and its char index, such as
     *                                  {@code "request has a lone surrogate U+D800 at index 5"}.
     * @throws NullPointerException     when {@code text} is null.
     */
    public static byte[] encode(final String text, final String what)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (hasQuestionMark(utf8))
        {
            checkNoLoneSurrogate(text, what);
        }
        return utf8;
    }

    /**
     * @param text the text to check.
     * @param what what the text is, for the message.
     * @throws IllegalArgumentException as {@link #encode(String, String)} does.
     */
    static void checkNoLoneSurrogate(final CharSequence text, final String what)
    {
        final int index = loneSurrogate(text);
        if (index >= 0)
        {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s has a lone surrogate U+%04X at index %d (of %d chars): it is not valid UTF-16 and has no UTF-8 encoding",
                what, (int)text.charAt(index), index, text.length()));
        }
    }

    /**
     * @return the index of the first char that is a surrogate without its partner, or -1.
     */
    static int loneSurrogate(final CharSequence text)
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
                }
                else
                {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Eight bytes at a time (the classic has-zero-byte test on {@code word ^ 0x3F3F...}): this runs on every
     * String request, on the caller's thread.
     */
    static boolean hasQuestionMark(final byte[] bytes)
    {
        final int words = bytes.length & ~7;
        for (int i = 0; i < words; i += 8)
        {
            final long x = (long)LONGS.get(bytes, i) ^ QUESTION_MARKS;
            if (((x - ONES) & ~x & HIGH_BITS) != 0)
            {
                return true;
            }
        }
        for (int i = words; i < bytes.length; i++)
        {
            if (bytes[i] == '?')
            {
                return true;
            }
        }
        return false;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUESTION_MARKS = 0x3F3F3F3F3F3F3F3FL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

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
            if (bytes[i] >= 0)
            {
                i++;
                continue;
            }
            final int next = sequenceEnd(bytes, i, end);
            if (next < 0)
            {
                return i;
            }
            i = next;
        }
        return -1;
    }

    /**
     * @param bytes the bytes.
     * @param start the lead byte of a multi-byte sequence (a negative byte).
     * @param end   where the bytes end (exclusive).
     * @return the index just past the sequence, or -1 when it is not well-formed UTF-8 (a stray or bad lead byte,
     * a missing continuation, an overlong form, a UTF-16 surrogate, or a value above U+10FFFF).
     */
    static int sequenceEnd(final byte[] bytes, final int start, final int end)
    {
        final int lead = bytes[start] & 0xFF;
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
            return -1;
        }
        if (start + extra >= end)
        {
            return -1;
        }
        int codePoint = lead & (0x3F >> extra);
        for (int k = 1; k <= extra; k++)
        {
            final int next = bytes[start + k] & 0xFF;
            if ((next & 0xC0) != 0x80)
            {
                return -1;
            }
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
        {
            return -1;
        }
        return start + extra + 1;
    }
}
