package dev.ringbridge.ffi.internal;

import java.nio.charset.StandardCharsets;

/**
 * Makes text that came from outside (a bundle, a plugin's bytes) safe to quote in an exception message, which ends
 * up in log lines and terminals: control characters are escaped, so the text can't forge log lines (CR, LF) or send
 * terminal escape sequences, and it is cut to a bounded length, so a small input can't make a message of megabytes.
 *
 * <p>Escaped as a backslash, {@code u} and four hex digits, as in Java source: C0 and C1 controls and DEL, Unicode
 * format characters (bidirectional overrides, zero-width characters), line and paragraph separators and lone
 * surrogates. Every message of {@code dev.ringbridge.ffi} and {@code dev.ringbridge.bundle} that quotes such text
 * goes through this class, so there is one rule for both. Stateless and safe from any thread.
 *
 * <p>Not API: the package is exported to {@code dev.ringbridge.bundle} only.
 */
public final class UntrustedText
{
    /** The most characters of output kept from one piece of untrusted text, escapes included. */
    public static final int MAX_SHOWN = 200;

    private UntrustedText()
    {
    }

    /**
     * Returns the text with control characters escaped, cut after {@link #MAX_SHOWN} output characters with a note
     * stating its original length, such as {@code abc... [cut: 600067 chars in all]}; the word {@code null} for null.
     *
     * @param text untrusted text, or null.
     * @return the text with control characters escaped, cut after {@link #MAX_SHOWN} output characters
     * with a note stating its original length, such as {@code abc... [cut: 600067 chars in all]};
     * the word {@code null} for null.
     */
    public static String escape(final String text)
    {
        if (text == null)
        {
            return "null";
        }
        final StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SHOWN) + 40);
        if (!append(text, out))
        {
            out.append("... [cut: ").append(text.length()).append(" chars in all]");
        }
        return out.toString();
    }

    /**
     * Returns the first bytes of a UTF-8 text (malformed sequences become U+FFFD), escaped as by {@link #escape},
     * with a note stating the full size when they are cut, such as {@code abc... [cut: 70000 bytes in all]}. Only
     * what can be shown is decoded, however long the text.
     *
     * @param bytes  untrusted bytes, in {@code bytes[0, length)}.
     * @param length how many of them.
     * @return the first bytes of the text, escaped, and cut with a note when longer than can be shown.
     */
    public static String escapeUtf8(final byte[] bytes, final int length)
    {
        // One byte gives at most one character, so MAX_SHOWN bytes are enough to fill the output.
        int decoded = Math.min(length, MAX_SHOWN + 1);
        while (decoded > 0 && decoded < length && (bytes[decoded] & 0xC0) == 0x80)
        {
            decoded--; // not into the middle of a UTF-8 sequence, which would decode as U+FFFD
        }
        final StringBuilder out = new StringBuilder(MAX_SHOWN + 40);
        if (!append(new String(bytes, 0, decoded, StandardCharsets.UTF_8), out) || decoded < length)
        {
            out.append("... [cut: ").append(length).append(" bytes in all]");
        }
        return out.toString();
    }

    /** Appends the escaped text as long as it fits {@link #MAX_SHOWN}; returns false when it was cut. */
    private static boolean append(final String text, final StringBuilder out)
    {
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
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
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
