package dev.ringbridge.ffi;

/**
 * Finds the end of one JSON value in UTF-8 bytes, checking the grammar as it goes (RFC 8259: brackets that match,
 * strings without raw control characters and with valid escapes, complete literals, numbers as the grammar writes
 * them), without building anything. It answers "where does this well-formed value end", or "not sure": anything
 * it cannot vouch for (bad grammar, nesting over {@value #MAX_DEPTH}, a number over {@value #MAX_NUMBER_LENGTH}
 * chars, a top-level string over {@value #MAX_STRING_BYTES} bytes, which are jackson-core's default limits) gives
 * -1, and the caller hands the bytes to jackson-core, which then accepts or names the problem. So the fast path
 * never accepts what jackson-core refuses, whatever the whitespace. Like jackson-core, it checks the UTF-8 of
 * every string, skipped or not.
 *
 * <p>Stateless; safe from any thread.
 */
final class JsonValue
{
    /** jackson-core's default {@code StreamReadConstraints} nesting limit. */
    static final int MAX_DEPTH = 1000;
    /** jackson-core's default number length limit. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** jackson-core's default string length limit, in chars; counted here in bytes, so longer strings are left to it. */
    static final int MAX_STRING_BYTES = 20_000_000;

    private JsonValue()
    {
    }

    /**
     * @param bytes the text.
     * @param start where the value starts (no whitespace before it).
     * @param limit the end of the text to look at (exclusive).
     * @return the index just past the value, or -1 when it is not a well-formed value within the limits.
     */
    static int end(final byte[] bytes, final int start, final int limit)
    {
        if (start < limit && bytes[start] == '"')
        {
            final int end = stringEnd(bytes, start + 1, limit);
            return end - start > MAX_STRING_BYTES ? -1 : end;
        }
        return value(bytes, start, limit, 0);
    }

    /** @return the first index at or after {@code i} that is not JSON whitespace. */
    static int skipWhitespace(final byte[] bytes, final int start, final int limit)
    {
        int i = start;
        while (i < limit)
        {
            final byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                break;
            }
            i++;
        }
        return i;
    }

    private static int value(final byte[] bytes, final int start, final int limit, final int depth)
    {
        if (start >= limit)
        {
            return -1;
        }
        return switch (bytes[start])
        {
            case '"' -> stringEnd(bytes, start + 1, limit);
            case '{' -> depth >= MAX_DEPTH ? -1 : objectEnd(bytes, start + 1, limit, depth + 1);
            case '[' -> depth >= MAX_DEPTH ? -1 : arrayEnd(bytes, start + 1, limit, depth + 1);
            case 't' -> literalEnd(bytes, start, limit, TRUE);
            case 'f' -> literalEnd(bytes, start, limit, FALSE);
            case 'n' -> literalEnd(bytes, start, limit, NULL);
            default -> numberEnd(bytes, start, limit);
        };
    }

    private static int objectEnd(final byte[] bytes, final int afterBrace, final int limit, final int depth)
    {
        int i = skipWhitespace(bytes, afterBrace, limit);
        if (i < limit && bytes[i] == '}')
        {
            return i + 1;
        }
        while (true)
        {
            if (i >= limit || bytes[i] != '"')
            {
                return -1;
            }
            i = stringEnd(bytes, i + 1, limit);
            if (i < 0)
            {
                return -1;
            }
            i = skipWhitespace(bytes, i, limit);
            if (i >= limit || bytes[i] != ':')
            {
                return -1;
            }
            i = value(bytes, skipWhitespace(bytes, i + 1, limit), limit, depth);
            if (i < 0)
            {
                return -1;
            }
            i = skipWhitespace(bytes, i, limit);
            if (i >= limit)
            {
                return -1;
            }
            if (bytes[i] == '}')
            {
                return i + 1;
            }
            if (bytes[i] != ',')
            {
                return -1;
            }
            i = skipWhitespace(bytes, i + 1, limit);
        }
    }

    private static int arrayEnd(final byte[] bytes, final int afterBracket, final int limit, final int depth)
    {
        int i = skipWhitespace(bytes, afterBracket, limit);
        if (i < limit && bytes[i] == ']')
        {
            return i + 1;
        }
        while (true)
        {
            i = value(bytes, i, limit, depth);
            if (i < 0)
            {
                return -1;
            }
            i = skipWhitespace(bytes, i, limit);
            if (i >= limit)
            {
                return -1;
            }
            if (bytes[i] == ']')
            {
                return i + 1;
            }
            if (bytes[i] != ',')
            {
                return -1;
            }
            i = skipWhitespace(bytes, i + 1, limit);
        }
    }

    /**
     * Payload text is mostly string contents: a tight loop over ASCII that stops only at the quote, a backslash, a
     * raw control character (which JSON forbids inside strings) or the lead byte of a multi-byte UTF-8 sequence.
     *
     * @return the index just past the closing quote, or -1 when the string is malformed or not closed.
     */
    static int stringEnd(final byte[] bytes, final int afterQuote, final int limit)
    {
        int i = afterQuote;
        while (i < limit)
        {
            final byte b = bytes[i++];
            if (b == '"')
            {
                return i;
            }
            if (b == '\\')
            {
                if (i >= limit)
                {
                    return -1;
                }
                switch (bytes[i++])
                {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' ->
                    {
                    }
                    case 'u' ->
                    {
                        if (i + 4 > limit || !isHex(bytes[i]) || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2]) || !isHex(bytes[i + 3]))
                        {
                            return -1;
                        }
                        i += 4;
                    }
                    default ->
                    {
                        return -1;
                    }
                }
            }
            else if (b < 0)
            {
                // The lead byte of a multi-byte sequence: jackson-core checks these even where it skips a string.
                i = Utf8.sequenceEnd(bytes, i - 1, limit);
                if (i < 0)
                {
                    return -1;
                }
            }
            else if (b < 0x20)
            {
                // A raw control character, which JSON forbids inside strings.
                return -1;
            }
        }
        return -1;
    }

    private static boolean isHex(final byte b)
    {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private static int literalEnd(final byte[] bytes, final int start, final int limit, final byte[] literal)
    {
        final int end = start + literal.length;
        if (end > limit)
        {
            return -1;
        }
        for (int k = 0; k < literal.length; k++)
        {
            if (bytes[start + k] != literal[k])
            {
                return -1;
            }
        }
        // "truex" is not a literal followed by something else: the token must end here.
        return end < limit && isTokenChar(bytes[end]) ? -1 : end;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, ending at a delimiter. */
    private static int numberEnd(final byte[] bytes, final int start, final int limit)
    {
        int i = start;
        if (i < limit && bytes[i] == '-')
        {
            i++;
        }
        if (i >= limit)
        {
            return -1;
        }
        if (bytes[i] == '0')
        {
            i++;
        }
        else if (bytes[i] >= '1' && bytes[i] <= '9')
        {
            i = digitsEnd(bytes, i, limit);
        }
        else
        {
            return -1;
        }
        if (i < limit && bytes[i] == '.')
        {
            final int fraction = digitsEnd(bytes, i + 1, limit);
            if (fraction == i + 1)
            {
                return -1;
            }
            i = fraction;
        }
        if (i < limit && (bytes[i] == 'e' || bytes[i] == 'E'))
        {
            i++;
            if (i < limit && (bytes[i] == '+' || bytes[i] == '-'))
            {
                i++;
            }
            final int exponent = digitsEnd(bytes, i, limit);
            if (exponent == i)
            {
                return -1;
            }
            i = exponent;
        }
        if (i - start > MAX_NUMBER_LENGTH || (i < limit && isTokenChar(bytes[i])))
        {
            return -1;
        }
        return i;
    }

    private static int digitsEnd(final byte[] bytes, final int start, final int limit)
    {
        int i = start;
        while (i < limit && bytes[i] >= '0' && bytes[i] <= '9')
        {
            i++;
        }
        return i;
    }

    /** A byte that would continue a number or literal token: anything but whitespace and structure. */
    private static boolean isTokenChar(final byte b)
    {
        return b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != ',' && b != ']' && b != '}' && b != ':';
    }
}
