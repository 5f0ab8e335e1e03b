package dev.ringbridge.ffi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ringbridge.ffi.internal.UntrustedText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the response envelope of {@code plugin_call} (plugin-abi.md section 3.1) with jackson-core's
 * streaming parser: no tree and no data binding. For a success it finds where the payload's JSON
 * text starts and ends, so the payload is handed on as the plugin wrote it, without re-encoding.
 *
 * <p>Tokenising the payload only to find its end costs about 200 ns of a 500 ns echo call, so the
 * exact form serde_json writes, {@code {"status":"success","payload":<P>}}, is recognised first by its
 * prefix and a validating skip over {@code <P>} ({@link JsonValue}). Anything else (other key order, a
 * {@code request_id}, a payload the skip cannot vouch for) goes to the streaming parser, so both paths give the
 * same answer for the same bytes.
 */
final class Envelope
{
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final byte[] SUCCESS_PREFIX = "{\"status\":\"success\",\"payload\":".getBytes(StandardCharsets.US_ASCII);
    /** The most bytes of a plugin's error text a {@link PluginException} keeps; the rest is cut, with a note. */
    static final int MAX_ERROR_MESSAGE_BYTES = 64 * 1024;

    private Envelope()
    {
    }

    /**
     * Returns the payload's span, start in the high 32 bits and end (exclusive) in the low 32 bits.
     *
     * @param bytes  a success envelope in {@code bytes[0, length)}.
     * @param length its length.
     * @return the payload's span, start in the high 32 bits and end (exclusive) in the low 32 bits.
     * @throws PluginException when the bytes are not a success envelope with a payload.
     */
    static long payloadSpan(final byte[] bytes, final int length) throws PluginException
    {
        final int prefix = SUCCESS_PREFIX.length;
        if (length > prefix && bytes[length - 1] == '}' && Arrays.equals(bytes, 0, prefix, SUCCESS_PREFIX, 0, prefix))
        {
            // serde's form, checked by a validating skip: the span is taken only when the value is well-formed and
            // nothing but whitespace stands between it and the closing brace; otherwise jackson-core decides.
            final int start = JsonValue.skipWhitespace(bytes, prefix, length - 1);
            final int end = JsonValue.end(bytes, start, length - 1);
            if (end > 0 && JsonValue.skipWhitespace(bytes, end, length - 1) == length - 1)
            {
                return (long)start << 32 | end;
            }
        }
        return parsePayloadSpan(bytes, length);
    }

    /** The streaming parser's answer for any envelope; package-private so tests can compare both paths. */
    static long parsePayloadSpan(final byte[] bytes, final int length) throws PluginException
    {
        String status = null;
        long span = -1;
        try (JsonParser parser = JSON.createParser(bytes, 0, length))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw malformed(bytes, length, "not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("payload".equals(field))
                {
                    final long start = parser.currentTokenLocation().getByteOffset();
                    if (value.isStructStart())
                    {
                        parser.skipChildren();
                    }
                    else
                    {
                        parser.finishToken();
                    }
                    span = start << 32 | parser.currentLocation().getByteOffset();
                }
                else if ("status".equals(field))
                {
                    status = parser.getValueAsString();
                }
                else
                {
                    parser.skipChildren();
                }
            }
        }
        catch (final IOException e)
        {
            throw malformed(bytes, length, e.getMessage());
        }
        if (!"success".equals(status) || span < 0)
        {
            throw malformed(bytes, length, "status is " + (status == null ? "missing" : "'" + status + "'")
                + (span < 0 ? " and there is no payload" : ""));
        }
        return span;
    }

    /**
     * The message of an error answer, bounded: at most {@link #MAX_ERROR_MESSAGE_BYTES} bytes of it
     * are decoded and kept, followed by a note giving its full size. A longer {@code error_message}
     * is never decoded whole, so jackson-core's string length limit (20,000,000 characters by
     * default) does not apply to it.
     *
     * @return the {@code error_message} of an error envelope, or the text of any other error body (plain text, or an
     * envelope whose {@code error_message} is missing or not a string); never null.
     */
    static String errorMessage(final byte[] bytes, final int length)
    {
        if (length > 0 && bytes[0] == '{')
        {
            try (JsonParser parser = JSON.createParser(bytes, 0, length))
            {
                parser.nextToken();
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String field = parser.currentName();
                    final JsonToken value = parser.nextToken();
                    if ("error_message".equals(field))
                    {
                        final int start = (int)parser.currentTokenLocation().getByteOffset();
                        if (value == JsonToken.VALUE_STRING && start >= 0 && bytes[start] == '"')
                        {
                            final int end = JsonValue.stringEnd(bytes, start + 1, length);
                            if (end < 0 || end - start - 2 <= MAX_ERROR_MESSAGE_BYTES)
                            {
                                return parser.getValueAsString();
                            }
                            // Only the kept part of the string is decoded.
                            final int cut = cutJsonString(bytes, start + 1, start + 1 + MAX_ERROR_MESSAGE_BYTES);
                            final byte[] kept = Arrays.copyOfRange(bytes, start, cut + 1);
                            kept[kept.length - 1] = '"';
                            try (JsonParser head = JSON.createParser(kept))
                            {
                                head.nextToken();
                                return head.getValueAsString() + cutNote("error_message", end - start - 2);
                            }
                        }
                        if (value == JsonToken.VALUE_STRING)
                        {
                            return parser.getValueAsString();
                        }
                        // A number, null, an object...: no message of its own, so the body is shown, as for plain text.
                        break;
                    }
                    parser.skipChildren();
                }
            }
            catch (final IOException e)
            {
                // Not an envelope after all: the text itself is the message.
            }
        }
        return plainText(bytes, length);
    }

    /**
     * Returns a plain-text error body as text, bounded as {@link #errorMessage} bounds it: the binary transport's
     * error texts, and JSON bodies that are not an error envelope.
     *
     * @return at most the first {@link #MAX_ERROR_MESSAGE_BYTES} bytes of the text, decoded, and a note of its size when cut.
     */
    static String plainText(final byte[] bytes, final int length)
    {
        if (length <= MAX_ERROR_MESSAGE_BYTES)
        {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
        return new String(bytes, 0, cutUtf8(bytes, 0, MAX_ERROR_MESSAGE_BYTES), StandardCharsets.UTF_8) + cutNote("error text", length);
    }

    /**
     * Returns the largest index in {@code [start, limit]} that splits neither a JSON escape nor a UTF-8 sequence.
     *
     * @return the largest index in {@code [start, limit]} that splits neither a JSON escape nor a UTF-8 sequence.
     */
    private static int cutJsonString(final byte[] bytes, final int start, final int limit)
    {
        int i = start;
        while (i < limit)
        {
            final int step = bytes[i] != '\\' ? 1 : bytes[i + 1] == 'u' ? 6 : 2;
            if (i + step > limit)
            {
                break;
            }
            i += step;
        }
        return cutUtf8(bytes, start, i);
    }

    /**
     * Returns the largest index in {@code [start, limit]} that does not split a UTF-8 sequence.
     *
     * @return the largest index in {@code [start, limit]} that does not split a UTF-8 sequence.
     */
    private static int cutUtf8(final byte[] bytes, final int start, final int limit)
    {
        int i = limit;
        while (i > start && (bytes[i] & 0xC0) == 0x80)
        {
            i--;
        }
        return i;
    }

    private static String cutNote(final String what, final int bytes)
    {
        return " ... [cut: the plugin's " + what + " has " + bytes + " bytes; the first " + MAX_ERROR_MESSAGE_BYTES + " are kept]";
    }

    /**
     * The refusal of an answer that is not a success envelope. The answer is the plugin's bytes and the parser's
     * complaint may quote them, so both are escaped and cut: a message never carries a control character or more
     * than a few hundred characters of the plugin's.
     */
    private static PluginException malformed(final byte[] bytes, final int length, final String problem)
    {
        return new PluginException(ErrorKind.UNKNOWN.code(),
            "malformed success envelope (" + UntrustedText.escape(problem) + "): " + UntrustedText.escapeUtf8(bytes, length));
    }
}
