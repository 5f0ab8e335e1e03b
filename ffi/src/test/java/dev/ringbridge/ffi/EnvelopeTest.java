package dev.ringbridge.ffi;

import dev.ringbridge.testing.RefusalMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void shouldKeepTheStartOfAnErrorMessageBeyondJacksonsStringLimit()
    {
        // 20,000,001 characters: over jackson-core's default maxStringLength.
        final String text = "\u00e9\\n" + "x".repeat(20_000_001 - 2);
        final byte[] envelope = ("{\"status\":\"error\",\"error_code\":7,\"error_message\":\"handler error: " + text + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        final String message = Envelope.errorMessage(envelope, envelope.length);
        assertTrue(message.startsWith("handler error: \u00e9\nxxx"), () -> message.substring(0, 40));
        assertTrue(message.length() < Envelope.MAX_ERROR_MESSAGE_BYTES + 200, () -> message.length() + " chars kept");
        assertTrue(message.endsWith(" ... [cut: the plugin's error_message has 20000018 bytes; the first 65536 are kept]"),
            () -> message.substring(message.length() - 120));
    }

    @Test
    void shouldCutErrorMessagesBetweenEscapesAndCharacters()
    {
        final int max = Envelope.MAX_ERROR_MESSAGE_BYTES;
        for (int shift = 0; shift < 8; shift++)
        {
            // Escapes and 2-, 3- and 4-byte characters straddling the cut at every offset.
            final String text = "a".repeat(max - 12 + shift) + "\\u00e9\\\"\u00e9\u20ac\uD83D\uDE00\\n" + "b".repeat(100);
            final byte[] envelope = ("{\"error_message\":\"" + text + "\",\"status\":\"error\"}").getBytes(StandardCharsets.UTF_8);
            final String message = Envelope.errorMessage(envelope, envelope.length);
            final String kept = message.substring(0, message.indexOf(" ... [cut: "));
            final String decoded = "a".repeat(max - 12 + shift) + "\u00e9\"\u00e9\u20ac\uD83D\uDE00\n" + "b".repeat(100);
            assertTrue(decoded.startsWith(kept) && kept.length() > max - 20, () -> "kept: ..." + kept.substring(max - 20));
            assertTrue(kept.chars().noneMatch(c -> c == '\uFFFD'), "no character split");
        }
        final byte[] plain = ("Plugin panicked: " + "\u20ac".repeat(max)).getBytes(StandardCharsets.UTF_8);
        final String message = Envelope.errorMessage(plain, plain.length);
        assertTrue(message.startsWith("Plugin panicked: \u20ac\u20ac") && message.indexOf('\uFFFD') < 0
            && message.endsWith("[cut: the plugin's error text has " + plain.length + " bytes; the first 65536 are kept]"), message.substring(0, 40));
    }

    // Found by ResponseFuzzTest (its input control-character-quoted-raw-in-a-malformed-envelope-refusal): a refusal
    // quoted the plugin's bytes as they were, so a newline or a terminal escape in an answer reached the log.
    @Test
    void shouldEscapeAndCutThePluginsBytesQuotedInARefusal()
    {
        final PluginException forged = assertThrows(PluginException.class, () -> payload("\n2026-01-01 INFO forged \u001b[31m"));
        assertTrue(forged.getMessage().endsWith("): \\u000a2026-01-01 INFO forged \\u001b[31m"), forged.getMessage());
        RefusalMessages.assertBoundedAndPrintable(forged, () -> "forged log line");

        final String envelope = "{\"status\":\"\\u001b[2J" + "x".repeat(100_000) + "\",\"payload\":1}";
        final PluginException status = assertThrows(PluginException.class, () -> payload(envelope));
        RefusalMessages.assertBoundedAndPrintable(status, () -> "status of 100,000 chars");
        assertTrue(status.getMessage().startsWith("malformed success envelope (status is '\\u001b[2Jxxx"), status.getMessage());
        assertTrue(status.getMessage().endsWith("... [cut: " + envelope.length() + " bytes in all]"), status.getMessage());
    }

    // Found by ResponseFuzzTest (binary-error-text-beyond-64-kib): the binary transport's error text was kept whole.
    @Test
    void shouldBoundABinaryErrorTextAsAJsonOne()
    {
        final byte[] text = ("Plugin panicked: " + "x".repeat(200_000) + "\0").getBytes(StandardCharsets.UTF_8);
        final PluginException e = Responses.failure(11, text, text.length, true);
        assertEquals(11, e.errorCode());
        assertEquals("Plugin panicked: " + "x".repeat(Envelope.MAX_ERROR_MESSAGE_BYTES - 17)
            + " ... [cut: the plugin's error text has 200017 bytes; the first 65536 are kept]", e.getMessage());
        final byte[] nul = "Unknown message ID: 7\0".getBytes(StandardCharsets.UTF_8);
        assertEquals("Unknown message ID: 7", Responses.failure(6, nul, nul.length, true).getMessage());
    }

    // Found while fuzzing answers: an error_message that is not a string (null, a number) gave an exception whose
    // message was null.
    @Test
    void shouldShowTheWholeBodyWhenTheErrorMessageIsNotAString()
    {
        for (final String body : new String[] {
            "{\"status\":\"error\",\"error_code\":7,\"error_message\":null}",
            "{\"status\":\"error\",\"error_message\":7}",
            "{\"error_message\":{\"text\":\"x\"},\"status\":\"error\"}"})
        {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertEquals(body, Responses.failure(7, bytes, bytes.length, false).getMessage());
        }
    }
}
