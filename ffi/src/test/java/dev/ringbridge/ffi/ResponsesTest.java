package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Decoding an undecoded answer (code and body, as the owner thread hands it over) on any thread. */
class ResponsesTest
{
    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldCutThePayloadOutOfTheValidPartOfAReusedBuffer() throws PluginException
    {
        final String envelope = "{\"status\":\"success\",\"payload\":{\"m\":\"\u00e9\"}}";
        final byte[] buffer = new byte[64];
        final byte[] bytes = utf8(envelope);
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        buffer[bytes.length] = 'x'; // leftovers of a longer answer beyond the length
        assertEquals("{\"m\":\"\u00e9\"}", Responses.jsonText(0, buffer, bytes.length));
        assertArrayEquals(utf8("{\"m\":\"\u00e9\"}"), Responses.jsonBytes(0, buffer, bytes.length));
        final long span = Responses.payloadSpan(0, buffer, bytes.length);
        assertEquals("{\"status\":\"success\",\"payload\":".length(), span >>> 32);
        assertEquals(bytes.length - 1, (int)span);
    }

    @Test
    void shouldTurnAnErrorCodeIntoAPluginExceptionWithTheEnvelopesMessage()
    {
        final byte[] body = utf8("{\"status\":\"error\",\"error_code\":7,\"error_message\":\"no such thing\"}");
        for (final PluginException e : new PluginException[] {
            assertThrows(PluginException.class, () -> Responses.jsonText(7, body, body.length)),
            assertThrows(PluginException.class, () -> Responses.jsonBytes(7, body, body.length)),
            assertThrows(PluginException.class, () -> Responses.payloadSpan(7, body, body.length))})
        {
            assertEquals(7, e.errorCode());
            assertEquals(ErrorKind.HANDLER_ERROR, e.kind());
            assertEquals("no such thing", e.getMessage());
            assertEquals("PluginException[7 HANDLER_ERROR]: no such thing", e.toString());
        }
    }

    @Test
    void shouldReturnBinaryBodiesWithoutCopyingWhenTheyFillTheArray() throws PluginException
    {
        final byte[] body = {1, 2, 3, 4};
        assertSame(body, Responses.binary(0, body, 4));
        assertArrayEquals(new byte[] {1, 2}, Responses.binary(0, body, 2));
        assertArrayEquals(new byte[0], Responses.binary(0, body, 0));
    }

    @Test
    void shouldStripTheNulThatEndsABinaryErrorText()
    {
        final byte[] text = utf8("bad id\0");
        final PluginException e = assertThrows(PluginException.class, () -> Responses.binary(6, text, text.length));
        assertEquals(6, e.errorCode());
        assertEquals("bad id", e.getMessage());
        assertEquals("bad", Responses.failure(6, text, 3, true).getMessage(), "no NUL at the end: the text as it is");
        assertEquals("", Responses.failure(6, text, 0, true).getMessage());
        assertEquals("bad id\0", Responses.failure(6, text, text.length, false).getMessage(), "JSON bodies keep it");
    }
}
