package dev.ringbridge.ffi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringbridge.testing.FuzzBudget;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the plugin's answer as the host decodes it: for any bytes after serde's success prefix, the envelope's
 * fast path and jackson-core agree (same payload span, or both refuse), and nothing but a {@link PluginException}
 * ever comes out. Runs its seeds with the other tests; {@code mvn -Pfuzz verify -pl plugins/sync-demo,ffi} fuzzes for real.
 */
class EnvelopeFuzzTest
{
    private static final byte[] PREFIX = "{\"status\":\"success\",\"payload\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = FuzzBudget.CEILING)
    void shouldDecodeAnyAnswerLikeJackson(final byte[] payload)
    {
        final byte[] envelope = new byte[PREFIX.length + payload.length + 1];
        System.arraycopy(PREFIX, 0, envelope, 0, PREFIX.length);
        System.arraycopy(payload, 0, envelope, PREFIX.length, payload.length);
        envelope[envelope.length - 1] = '}';
        assertEquals(answer(true, envelope), answer(false, envelope));
        // Error bodies and plain text: always a message, never an exception.
        Envelope.errorMessage(payload, payload.length);
    }

    private static long answer(final boolean fast, final byte[] envelope)
    {
        try
        {
            return fast ? Envelope.payloadSpan(envelope, envelope.length) : Envelope.parsePayloadSpan(envelope, envelope.length);
        }
        catch (final PluginException refused)
        {
            return -1;
        }
    }
}
