package dev.ringbridge.testing;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a refusal of hostile input must look like, for the fuzz tests and the hostile-input tests: a message that
 * exists, stays short however large the input, and is printable, so quoting the input can neither flood a log nor
 * forge log lines or send terminal escapes. Printable means none of the characters {@code UntrustedText} escapes:
 * C0 and C1 controls, DEL, format characters, line and paragraph separators, lone surrogates.
 */
public final class RefusalMessages
{
    /** Room for a sentence of the host's own and a few quotes cut at {@code UntrustedText.MAX_SHOWN} characters. */
    public static final int MAX_REFUSAL_CHARS = 2_000;

    private RefusalMessages()
    {
    }

    /**
     * Asserts that a refusal's message (and its cause's, if any) is bounded, and that its own message is printable.
     *
     * @param refusal the exception the input ended in.
     * @param input   describes the input, for the failure message only.
     * @return the message.
     */
    public static String assertBoundedAndPrintable(final Throwable refusal, final Supplier<String> input)
    {
        final String message = refusal.getMessage();
        assertNotNull(message, () -> refusal + " has no message; input: " + input.get());
        assertTrue(message.length() <= MAX_REFUSAL_CHARS,
            () -> message.length() + " chars in the message, from input " + input.get() + ": " + message.substring(0, 300));
        assertPrintable(message, input);
        // A cause's message is the JDK's or a library's, not ours to escape; but it must not carry the input whole.
        final Throwable cause = refusal.getCause();
        if (cause != null && cause.getMessage() != null)
        {
            assertTrue(cause.getMessage().length() <= MAX_REFUSAL_CHARS,
                () -> "cause " + cause.getClass().getName() + " has " + cause.getMessage().length() + " chars; input: " + input.get());
        }
        return message;
    }

    /**
     * Asserts that the text holds no character that must be escaped.
     *
     * @param text  the text.
     * @param input describes the input, for the failure message only.
     */
    public static void assertPrintable(final String text, final Supplier<String> input)
    {
        int i = 0;
        while (i < text.length())
        {
            final int codePoint = text.codePointAt(i);
            final int type = Character.getType(codePoint);
            if (Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE)
            {
                fail(String.format("unescaped U+%04X at index %d of the message %s; input: %s", codePoint, i,
                    text.substring(0, Math.min(text.length(), 300)).replaceAll("\\p{Cntrl}", "?"), input.get()));
            }
            i += Character.charCount(codePoint);
        }
    }
}
