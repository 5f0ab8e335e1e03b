package dev.ringbridge.ffi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a plugin's answer, its error code and the bytes it returned, into a result or a
 * {@link PluginException}. The owner thread of a plugin only copies these bytes out of native memory
 * ({@link CallSession#exchange}); this decoding runs wherever the result is wanted, usually on the
 * caller's thread, so it costs the one serial thread nothing.
 *
 * <p>Every method is a pure function of its arguments and safe from any thread.
 */
public final class Responses
{
    private static final int NO_ERROR = 0;

    private Responses()
    {
    }

    /**
     * Returns the response payload's JSON text, as the plugin wrote it.
     *
     * @param code   the error code of a {@code plugin_call} answer.
     * @param body   the bytes the plugin returned, in {@code body[0, length)}.
     * @param length how many of them.
     * @return the response payload's JSON text, as the plugin wrote it.
     * @throws PluginException for a non-zero code, or when a success envelope is malformed.
     */
    public static String jsonText(final int code, final byte[] body, final int length) throws PluginException
    {
        final long span = payloadSpan(code, body, length);
        final int start = (int)(span >>> 32);
        return new String(body, start, (int)span - start, StandardCharsets.UTF_8);
    }

    /**
     * Returns the response payload's JSON text as UTF-8 bytes (a new array).
     *
     * @param code   the error code of a {@code plugin_call} answer.
     * @param body   the bytes the plugin returned.
     * @param length how many of them.
     * @return the response payload's JSON text as UTF-8 bytes (a new array).
     * @throws PluginException for a non-zero code, or when a success envelope is malformed.
     */
    public static byte[] jsonBytes(final int code, final byte[] body, final int length) throws PluginException
    {
        final long span = payloadSpan(code, body, length);
        return Arrays.copyOfRange(body, (int)(span >>> 32), (int)span);
    }

    /**
     * Finds the payload of a success envelope without decoding it, for readers that parse the bytes in place
     * (a Jackson mapper reading a typed response).
     *
     * @param code   the error code of a {@code plugin_call} answer.
     * @param body   the bytes the plugin returned.
     * @param length how many of them.
     * @return the payload's span: start in the high 32 bits, end (exclusive) in the low 32 bits.
     * @throws PluginException for a non-zero code, or when a success envelope is malformed.
     */
    public static long payloadSpan(final int code, final byte[] body, final int length) throws PluginException
    {
        if (code != NO_ERROR)
        {
            throw failure(code, body, length, false);
        }
        return Envelope.payloadSpan(body, length);
    }

    /**
     * Returns the response bytes: {@code body} itself when it holds exactly the response, else a copy.
     *
     * @param code   the error code of a {@code plugin_call_raw} answer.
     * @param body   the bytes the plugin returned.
     * @param length how many of them.
     * @return the response bytes: {@code body} itself when it holds exactly the response, else a copy.
     * @throws PluginException for a non-zero code.
     */
    public static byte[] binary(final int code, final byte[] body, final int length) throws PluginException
    {
        if (code != NO_ERROR)
        {
            throw failure(code, body, length, true);
        }
        return length == body.length ? body : Arrays.copyOf(body, length);
    }

    /**
     * Returns the exception carrying the code and the plugin's message: an error envelope's {@code error_message}, or a plain-text body as it is.
     *
     * @param code   a non-zero error code.
     * @param body   the error body the plugin returned.
     * @param length how many bytes of it.
     * @param binary true for the binary transport, whose error texts end in a NUL counted in the length.
     * @return the exception carrying the code and the plugin's message: an error envelope's
     * {@code error_message}, or a plain-text body as it is.
     */
    public static PluginException failure(final int code, final byte[] body, final int length, final boolean binary)
    {
        return new PluginException(code, errorText(body, length, binary));
    }

    static String errorText(final byte[] body, final int length, final boolean binary)
    {
        if (binary)
        {
            final int textLength = length > 0 && body[length - 1] == 0 ? length - 1 : length;
            return Envelope.plainText(body, textLength);
        }
        return Envelope.errorMessage(body, length);
    }
}
