package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The envelope's fast path against jackson-core: for the same bytes both must give the same payload span or both
 * refuse, whatever the whitespace. Inputs are written here and generated (valid values, then mutated).
 */
class JsonValueTest
{
    private static final String PREFIX = "{\"status\":\"success\",\"payload\":";

    @Test
    void shouldRefuseMalformedPayloadsTheSkipUsedToPass()
    {
        for (final String payload : List.of("{]", "tru", "[1,]", "{\"a\"}", "{\"a\":}", "01", "1.", "-", "\"\\x\"", "\"a\u0001\"",
            "[1 2]", "{\"a\":1,}", "nul", "truex", "1e", "\"\\u12G4\"", "{,}", "[", "\"open"))
        {
            assertThrows(PluginException.class, () -> span(PREFIX + payload + "}"), payload);
            assertThrows(PluginException.class, () -> span(PREFIX + " " + payload + " }"), payload + " with whitespace");
        }
    }

    @Test
    void shouldGiveTheSameAnswerWithAndWithoutWhitespace() throws PluginException
    {
        assertEquals("{\"a\": [1, 2]}", payloadOf(PREFIX + "{\"a\": [1, 2]}}"));
        assertEquals("7", payloadOf(PREFIX + "7 }"));
        assertEquals("7", payloadOf(PREFIX + " 7}"));
        assertEquals("\"x\"", payloadOf(PREFIX + "\n\"x\"\t}"));
    }

    @Test
    void shouldAgreeWithJacksonOnThousandsOfGeneratedPayloads()
    {
        final SplittableRandom random = new SplittableRandom(20261201);
        int refusedByBoth = 0;
        for (int n = 0; n < 20_000; n++)
        {
            String payload = value(random, 0);
            if (random.nextInt(3) == 0)
            {
                payload = mutate(payload, random);
            }
            final String envelope = PREFIX + payload + (random.nextInt(4) == 0 ? " }" : "}");
            final byte[] bytes = envelope.getBytes(StandardCharsets.UTF_8);
            final String fast = answer(() -> Envelope.payloadSpan(bytes, bytes.length), bytes);
            final String jackson = answer(() -> Envelope.parsePayloadSpan(bytes, bytes.length), bytes);
            if (!fast.equals(jackson))
            {
                fail("fast path and jackson-core differ on " + envelope + ": " + fast + " vs " + jackson);
            }
            refusedByBoth += fast.startsWith("refused") ? 1 : 0;
        }
        assertTrue(refusedByBoth > 1_000, "the generator produces malformed payloads too: " + refusedByBoth);
    }

    private interface SpanCall
    {
        long span() throws PluginException;
    }

    private static String answer(final SpanCall call, final byte[] bytes)
    {
        try
        {
            final long span = call.span();
            final int start = (int)(span >>> 32);
            return new String(bytes, start, (int)span - start, StandardCharsets.UTF_8);
        }
        catch (final PluginException e)
        {
            return "refused";
        }
    }

    private static long span(final String envelope) throws PluginException
    {
        final byte[] bytes = envelope.getBytes(StandardCharsets.UTF_8);
        return Envelope.payloadSpan(bytes, bytes.length);
    }

    private static String payloadOf(final String envelope) throws PluginException
    {
        final byte[] bytes = envelope.getBytes(StandardCharsets.UTF_8);
        final long span = Envelope.payloadSpan(bytes, bytes.length);
        final int start = (int)(span >>> 32);
        return new String(bytes, start, (int)span - start, StandardCharsets.UTF_8);
    }

    private static final String[] SCALARS = {"0", "-1", "12.5", "1e9", "-0.5E-3", "true", "false", "null", "\"\"", "\"a b\"",
        "\"\\\"q\\\"\"", "\"\\u00e9\\n\"", "\"é€\"", "123456789012345678901234567890"};

    private static String value(final SplittableRandom random, final int depth)
    {
        final int kind = depth > 4 ? 0 : random.nextInt(4);
        final String space = random.nextInt(5) == 0 ? " " : "";
        return switch (kind)
        {
            case 0, 1 -> SCALARS[random.nextInt(SCALARS.length)];
            case 2 ->
            {
                final List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--)
                {
                    items.add(space + value(random, depth + 1) + space);
                }
                yield "[" + String.join(",", items) + "]";
            }
            default ->
            {
                final List<String> members = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--)
                {
                    members.add("\"k" + i + "\"" + space + ":" + space + value(random, depth + 1));
                }
                yield "{" + String.join("," + space, members) + "}";
            }
        };
    }

    private static final String NOISE = "{}[],:\" \\tfn0-1.eE+x\u0001";

    private static String mutate(final String payload, final SplittableRandom random)
    {
        if (payload.isEmpty())
        {
            return payload;
        }
        final StringBuilder out = new StringBuilder(payload);
        final int at = random.nextInt(out.length());
        switch (random.nextInt(3))
        {
            case 0 -> out.deleteCharAt(at);
            case 1 -> out.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
            default -> out.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
        }
        return out.toString();
    }
}
