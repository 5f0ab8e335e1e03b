package dev.ringbridge.ffi;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringbridge.testing.FuzzBudget;
import dev.ringbridge.testing.RefusalMessages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes what a plugin can answer, on both transports: any error code with any bytes. The sample plugin has no
 * handler that returns raw bytes (its envelopes are always well-formed), so the answer is laid out in native memory
 * as the {@code FfiBuffer} or {@code RbResponse} struct the plugin returns, read back through the host's struct
 * accessors, copied into a reused array that is longer than the answer and holds stale bytes (as the owner thread's
 * {@code CallSession} does), and decoded by {@link Responses}, which every caller of a plugin goes through.
 *
 * <p>Properties: a success gives its payload (JSON: a span inside the answer; binary: the bytes as sent); an error
 * code gives a {@link PluginException} with that code and a message that exists and keeps at most 64 KiB of the
 * plugin's text; a malformed success envelope gives a {@link PluginException} whose message is bounded and printable
 * (the host's words, quoting the plugin's bytes escaped); the stale bytes behind the answer never change the
 * outcome; and nothing else is ever thrown. The plugin's own error text is handed on as the plugin wrote it
 * ({@link PluginException}'s contract), so it is bounded but not escaped.
 */
class ResponseFuzzTest
{
    /** The plugin's own text is cut at 64 KiB of UTF-8, at most as many chars, and followed by a note of its size. */
    private static final int MAX_PLUGIN_MESSAGE_CHARS = Envelope.MAX_ERROR_MESSAGE_BYTES + 200;
    /** Keeps one answer under a few hundred KiB while still reaching past the 64 KiB cut. */
    private static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final MemorySegment NATIVE_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    // The envelope's words, so that mutations start from answers a plugin could send.
    @DictionaryEntries({"{\"status\":\"success\",\"payload\":", "{\"status\":\"error\",\"error_code\":", "\"error_message\":",
        "\"request_id\":", "\"payload\"", "\"status\"", "\\u0000", "\\ud800", "null", "true", "\u0000"})
    @FuzzTest(maxDuration = FuzzBudget.CEILING)
    void shouldTurnAnyAnswerIntoItsResultOrAPluginException(final FuzzedDataProvider data)
    {
        final boolean binary = data.consumeBoolean();
        final int code = switch (data.consumeInt(0, 3))
        {
            case 0 -> 0;
            case 1 -> data.consumeInt(1, 13);
            case 2 -> ErrorKind.INTERNAL.code();
            default -> data.consumeInt();
        };
        final byte[] answer = answer(data);
        final byte[] stale = data.consumeBytes(64);
        final Supplier<String> input = () -> (binary ? "binary" : "JSON") + " answer, code " + code + ": "
            + HexFormat.of().formatHex(answer, 0, Math.min(answer.length, 512)) + (answer.length > 512 ? "..." : "");

        final byte[] reused = throughNativeStruct(binary, code, answer, stale);
        final Outcome exact = binary ? binary(code, answer, answer.length) : json(code, answer, answer.length);
        final Outcome inReusedArray = binary ? binary(code, reused, answer.length) : json(code, reused, answer.length);
        assertEquals(exact, inReusedArray, () -> "bytes behind the answer changed the outcome; " + input.get());

        if (exact.refusal() == null)
        {
            assertEquals(0, code, input);
            return;
        }
        final PluginException refusal = exact.refusal();
        final String message = refusal.getMessage();
        assertNotNull(message, input);
        if (code != 0)
        {
            assertEquals(code, refusal.errorCode(), input);
            assertTrue(message.length() <= MAX_PLUGIN_MESSAGE_CHARS, () -> message.length() + " chars; " + input.get());
            // The owner thread reads a panic's text with the same routine before it marks the plugin failed.
            assertEquals(message, Responses.errorText(reused, answer.length, binary), input);
        }
        else
        {
            assertEquals(ErrorKind.UNKNOWN.code(), refusal.errorCode(), input);
            RefusalMessages.assertBoundedAndPrintable(refusal, input);
        }
    }

    /**
     * A head, a middle repeated up to the answer's limit, and a tail: so that a short fuzzer input can make an error
     * message or a payload larger than any cut, such as {@code {"status":"error","error_message":"AAAA...AAAA"}}.
     */
    private static byte[] answer(final FuzzedDataProvider data)
    {
        final byte[] head = data.consumeBytes(data.consumeInt(0, 64));
        final byte[] middle = data.consumeBytes(data.consumeInt(0, 16));
        final int repeats = middle.length == 0 ? 0 : data.consumeInt(0, (MAX_ANSWER_BYTES - 128) / middle.length);
        final byte[] tail = data.consumeBytes(data.consumeInt(0, 64));
        final byte[] answer = Arrays.copyOf(head, head.length + middle.length * repeats + tail.length);
        for (int i = 0; i < repeats; i++)
        {
            System.arraycopy(middle, 0, answer, head.length + i * middle.length, middle.length);
        }
        System.arraycopy(tail, 0, answer, answer.length - tail.length, tail.length);
        return answer;
    }

    /**
     * Writes the answer into native memory behind the struct the plugin returns, reads it back with the accessors
     * the owner thread uses, and copies it into an array that is longer, as the reused response array is.
     */
    private static byte[] throughNativeStruct(final boolean binary, final int code, final byte[] answer, final byte[] stale)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment body = arena.allocate(Math.max(1, answer.length));
            MemorySegment.copy(answer, 0, body, JAVA_BYTE, 0, answer.length);
            final MemorySegment struct = arena.allocate(binary ? RbResponse.LAYOUT : FfiBuffer.LAYOUT);
            final long length;
            final long address;
            if (binary)
            {
                struct.set(JAVA_INT, RbResponse.ERROR_CODE_OFFSET, code);
                struct.set(JAVA_INT, RbResponse.LEN_OFFSET, answer.length);
                struct.set(JAVA_LONG, RbResponse.DATA_OFFSET, body.address());
                assertEquals(code, RbResponse.errorCode(struct));
                length = RbResponse.len(struct);
                address = RbResponse.dataAddress(struct);
            }
            else
            {
                struct.set(JAVA_LONG, FfiBuffer.DATA_OFFSET, body.address());
                struct.set(JAVA_LONG, FfiBuffer.LEN_OFFSET, answer.length);
                struct.set(JAVA_INT, FfiBuffer.ERROR_CODE_OFFSET, code);
                assertEquals(code, FfiBuffer.errorCode(struct));
                length = FfiBuffer.len(struct);
                address = FfiBuffer.dataAddress(struct);
            }
            assertEquals(answer.length, length);
            final byte[] reused = new byte[answer.length + stale.length];
            MemorySegment.copy(NATIVE_MEMORY, JAVA_BYTE, address, reused, 0, (int)length);
            System.arraycopy(stale, 0, reused, answer.length, stale.length);
            return reused;
        }
    }

    /** What a JSON answer decodes to through every reader of {@link Responses}; they must agree. */
    private static Outcome json(final int code, final byte[] body, final int length)
    {
        final String text;
        try
        {
            text = Responses.jsonText(code, body, length);
        }
        catch (final PluginException e)
        {
            assertEquals(e.getMessage(), refusal(() -> Responses.jsonBytes(code, body, length)).getMessage());
            assertEquals(e.getMessage(), refusal(() -> Responses.payloadSpan(code, body, length)).getMessage());
            return new Outcome(null, e);
        }
        final byte[] bytes = call(() -> Responses.jsonBytes(code, body, length));
        final long span = call(() -> Responses.payloadSpan(code, body, length));
        final int start = (int)(span >>> 32);
        final int end = (int)span;
        assertTrue(0 <= start && start <= end && end <= length, () -> "span " + start + ".." + end + " of " + length);
        assertArrayEquals(Arrays.copyOfRange(body, start, end), bytes);
        assertEquals(new String(bytes, StandardCharsets.UTF_8), text);
        return new Outcome(bytes, null);
    }

    private static Outcome binary(final int code, final byte[] body, final int length)
    {
        try
        {
            final byte[] bytes = Responses.binary(code, body, length);
            assertEquals(length, bytes.length);
            return new Outcome(bytes, null);
        }
        catch (final PluginException e)
        {
            return new Outcome(null, e);
        }
    }

    private interface Decoding<T>
    {
        T decode() throws PluginException;
    }

    private static <T> T call(final Decoding<T> decoding)
    {
        try
        {
            return decoding.decode();
        }
        catch (final PluginException e)
        {
            throw new AssertionError("one reader accepted the answer, another refused it: " + e, e);
        }
    }

    private static PluginException refusal(final Decoding<?> decoding)
    {
        try
        {
            decoding.decode();
        }
        catch (final PluginException e)
        {
            return e;
        }
        throw new AssertionError("one reader refused the answer, another accepted it");
    }

    /** A decoded answer: its bytes, or the refusal, compared by code and message. */
    private record Outcome(byte[] bytes, PluginException refusal)
    {
        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Outcome that && Arrays.equals(bytes, that.bytes)
                && (refusal == null ? that.refusal == null : that.refusal != null
                    && refusal.errorCode() == that.refusal.errorCode() && Objects.equals(refusal.getMessage(), that.refusal.getMessage()));
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString()
        {
            return refusal == null ? bytes.length + " bytes" : refusal.toString();
        }
    }
}
