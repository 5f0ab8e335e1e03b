package dev.ringbridge.ffi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the response envelope of {@code plugin_call} (plugin-abi.md section 3.1) with jackson-core's
 * streaming parser: no tree and no data binding. For a success it finds where the payload's JSON
 * text starts and ends, so the payload is handed on as the plugin wrote it, without re-encoding.
 */
final class Envelope
{
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private Envelope()
    {
    }

    /**
     * @param bytes  a success envelope in {@code bytes[0, length)}.
     * @param length its length.
     * @return the payload's span, start in the high 32 bits and end (exclusive) in the low 32 bits.
     * @throws PluginException when the bytes are not a success envelope with a payload.
     */
    static long payloadSpan(final byte[] bytes, final int length) throws PluginException
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
            throw malformed(bytes, length, "status is " + status + (span < 0 ? " and there is no payload" : ""));
        }
        return span;
    }

    /**
     * @return the {@code error_message} of an error envelope, or the whole text of a plain-text error body.
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
                    parser.nextToken();
                    if ("error_message".equals(field))
                    {
                        return parser.getValueAsString();
                    }
                    parser.skipChildren();
                }
            }
            catch (final IOException e)
            {
                // Not an envelope after all: the text itself is the message.
            }
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static PluginException malformed(final byte[] bytes, final int length, final String problem)
    {
        final int shown = Math.min(length, 200);
        return new PluginException(ErrorKind.UNKNOWN.code(),
            "malformed success envelope (" + problem + "): " + new String(bytes, 0, shown, StandardCharsets.UTF_8)
                + (shown < length ? "..." : ""));
    }
}
