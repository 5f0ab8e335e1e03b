package dev.ringbridge.ffi.bundle;

/**
 * Makes text that came from a bundle safe to quote in an exception message, which ends up in log
 * lines and terminals: control characters are escaped, so a bundle can't forge log lines (CR, LF)
 * or send terminal escape sequences, and the text is cut to a bounded length, so a small bundle
 * can't make a message of megabytes.
 *
 * <p>Escaped as a backslash, {@code u} and four hex digits, as in Java source: C0 and C1 controls
 * and DEL, Unicode format characters (bidirectional overrides, zero-width characters), line and
 * paragraph separators and lone surrogates. Every message of this package that quotes a manifest value, a key, an entry name, a signature's comment or a parser's
 * complaint about them goes through {@link #escape(String)}. Stateless and safe from any thread.
 */
final class UntrustedText
{
    /** The most characters of output kept from one piece of untrusted text, escapes included. */
    static final int MAX_SHOWN = 200;

    private UntrustedText()
    {
    }

    /**
     * Returns the text with control characters escaped, cut after {@link #MAX_SHOWN} output characters with a note stating its original length, such as {@code abc... [cut: 600067 chars in all]}; the word {@code null} for null.
     *
     * @param text untrusted text, or null.
     * @return the text with control characters escaped, cut after {@link #MAX_SHOWN} output characters
     * with a note stating its original length, such as {@code abc... [cut: 600067 chars in all]};
     * the word {@code null} for null.
     */
    static String escape(final String text)
    {
        if (text == null)
        {
            return "null";
        }
        final StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SHOWN) + 40);
        int i = 0;
        while (i < text.length())
        {
            final int codePoint = text.codePointAt(i);
            final int before = out.length();
            if (mustEscape(codePoint))
            {
                out.append(String.format("\\u%04x", codePoint));
            }
            else
            {
                out.appendCodePoint(codePoint);
            }
            if (out.length() > MAX_SHOWN)
            {
                out.setLength(before);
                return out.append("... [cut: ").append(text.length()).append(" chars in all]").toString();
            }
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    private static boolean mustEscape(final int codePoint)
    {
        if (Character.isISOControl(codePoint))
        {
            return true;
        }
        final int type = Character.getType(codePoint);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
            || type == Character.SURROGATE;
    }
}
