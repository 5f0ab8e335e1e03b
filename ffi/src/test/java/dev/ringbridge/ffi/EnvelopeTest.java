package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvelopeTest
{
    private static String payload(final String envelope) throws PluginException
    {
        final byte[] bytes = envelope.getBytes(StandardCharsets.UTF_8);
        final long span = Envelope.payloadSpan(bytes, bytes.length);
        final int start = (int)(span >>> 32);
        return new String(bytes, start, (int)span - start, StandardCharsets.UTF_8);
    }

    @Test
    void shouldCutOutThePayloadAsWritten() throws PluginException
    {
        assertEquals("{\"a\":[1,2]}", payload("{\"status\":\"success\",\"payload\":{\"a\":[1,2]}}"));
        assertEquals("\"t\\\"x\"", payload("{\"status\":\"success\",\"payload\":\"t\\\"x\"}"));
        assertEquals("12.5", payload("{\"status\":\"success\",\"payload\":12.5,\"request_id\":7}"));
        assertEquals("null", payload("{\"request_id\":7,\"payload\":null,\"status\":\"success\"}"));
    }

    @Test
    void shouldAgreeWithTheStreamingParserOnTheSerdeForm() throws PluginException
    {
        final String[] payloads = {
            "{}", "[]", "null", "true", "-12.5e3", "\"\"", "\"a}]\\\"{[\"", "{\"a\":{\"b\":[1,{\"c\":\"}\"}]}}",
            "[[],[[{}]],\"\\\\\"]", "{\"length\":5,\"message\":\"Hello\"}"};
        for (final String payload : payloads)
        {
            assertEquals(payload, payload("{\"status\":\"success\",\"payload\":" + payload + "}"), "fast path");
            assertEquals(payload, payload("{\"payload\":" + payload + ",\"status\":\"success\"}"), "streaming parser");
        }
    }

    @Test
    void shouldFallBackWhenTheSerdeFormHasMore() throws PluginException
    {
        assertEquals("{\"a\":1}", payload("{\"status\":\"success\",\"payload\":{\"a\":1},\"request_id\":9}"));
        assertEquals("7", payload("{\"status\":\"success\",\"payload\":7 }"));
        assertThrows(PluginException.class, () -> payload("{\"status\":\"success\",\"payload\":{\"a\":1}"));
    }

    @Test
    void shouldRefuseEnvelopesWithoutSuccessOrPayload()
    {
        assertThrows(PluginException.class, () -> payload("{\"status\":\"error\",\"payload\":1}"));
        assertThrows(PluginException.class, () -> payload("{\"status\":\"success\"}"));
        assertThrows(PluginException.class, () -> payload("[1]"));
        assertThrows(PluginException.class, () -> payload("{\"status\":"));
    }

    @Test
    void shouldTakeTheErrorMessageOrThePlainText()
    {
        final byte[] envelope = "{\"status\":\"error\",\"error_code\":7,\"error_message\":\"handler error: x\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("handler error: x", Envelope.errorMessage(envelope, envelope.length));
        final byte[] plain = "Invalid handle".getBytes(StandardCharsets.UTF_8);
        assertEquals("Invalid handle", Envelope.errorMessage(plain, plain.length));
    }
}
