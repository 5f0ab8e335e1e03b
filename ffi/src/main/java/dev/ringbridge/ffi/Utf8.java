package dev.ringbridge.ffi;

/**
 * Checks that bytes are well-formed UTF-8 without allocating, so a bad request is refused on the
 * Java side with the offset of the first bad byte instead of surfacing as a plugin parse error.
 */
final class Utf8
{
    private Utf8()
    {
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
