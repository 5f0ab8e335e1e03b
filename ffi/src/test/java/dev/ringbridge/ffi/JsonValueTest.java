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

    /**
     * {@link JsonValue#end} itself, not through the envelope (which falls back to jackson-core on -1 and so hides a skip
     * that gives up too often): on every generated value it must find the exact end that jackson-core finds, and whatever
     * it vouches for must be one whole value to jackson-core.
     */
    @Test
    void shouldFindTheExactEndOfEveryValueJacksonAccepts()
    {
        final SplittableRandom random = new SplittableRandom(20261202);
        int accepted = 0;
        for (int n = 0; n < 20_000; n++)
        {
            String payload = value(random, 0);
            if (random.nextInt(3) == 0)
            {
                payload = mutate(payload, random);
            }
            accepted += checkEnd(payload) ? 1 : 0;
        }
        assertTrue(accepted > 10_000, "most generated values are well formed: " + accepted);
        for (final String edge : List.of("[".repeat(1000) + "]".repeat(1000), "[".repeat(1001) + "]".repeat(1001),
            "{\"a\":".repeat(999) + "1" + "}".repeat(999), "1".repeat(1000), "1".repeat(1001), "-" + "1".repeat(999),
            "0.5e+7", "-0", "1E-0", "\"\\/\\b\\f\\r\\t\\u00Af\"", "\"\\uD83D\\uDE00\"", "[ ]", "{ }", "[\t1\n,\r2 ]",
            "{\"a\" : [true , false , null]}", "\"\u007f\"", "0e", "00", "1.e5", ".5", "+1", "[1,,2]", "{\"a\":1 \"b\":2}",
            "\"\\u00\"", "fals", "nulll", "truE", "\"a\u0000\"", "{\"a\"", "[1", "{\"a\":1", "\"\\", "{1:2}"))
        {
            checkEnd(edge);
        }
    }

    @Test
    void shouldSkipOnlyJsonWhitespace()
    {
        final byte[] text = " \t\n\r x ".getBytes(StandardCharsets.UTF_8);
        assertEquals(5, JsonValue.skipWhitespace(text, 0, text.length));
        assertEquals(5, JsonValue.skipWhitespace(text, 5, text.length));
        assertEquals(7, JsonValue.skipWhitespace(text, 6, text.length), "to the end");
        assertEquals(2, JsonValue.skipWhitespace(text, 0, 2), "stops at the limit");
        final byte[] other = "\u000b\u000cx".getBytes(StandardCharsets.UTF_8);
        assertEquals(0, JsonValue.skipWhitespace(other, 0, other.length), "vertical tab and form feed are not JSON whitespace");
    }

    /** @return true when jackson-core accepts {@code text} as one whole value. */
    private static boolean checkEnd(final String untrimmed)
    {
        // The skip starts at the value and stops at its end: no whitespace around it.
        final String text = untrimmed.replaceAll("^[ \\t\\n\\r]+|[ \\t\\n\\r]+$", "");
        final byte[] value = text.getBytes(StandardCharsets.UTF_8);
        final byte[] followed = (text + "}x").getBytes(StandardCharsets.UTF_8);
        final boolean whole = isOneValue(value, value.length);
        final int end = JsonValue.end(value, 0, value.length);
        final int endFollowed = JsonValue.end(followed, 0, followed.length);
        if (whole)
        {
            assertEquals(value.length, end, text);
            assertEquals(value.length, endFollowed, text + " followed by more");
        }
        else if (end >= 0)
        {
            assertTrue(end < value.length && isOneValue(value, end), "vouched for what jackson-core refuses: " + text + " up to " + end);
        }
        return whole;
    }

    private static boolean isOneValue(final byte[] bytes, final int length)
    {
        try (com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.core.JsonFactory().createParser(bytes, 0, length))
        {
            if (parser.nextToken() == null)
            {
                return false;
            }
            parser.skipChildren();
            if (parser.getTextLength() >= 0 && parser.currentToken().isScalarValue())
            {
                parser.getText(); // makes jackson-core read the whole token, with its checks
            }
            return parser.nextToken() == null;
        }
        catch (final java.io.IOException e)
        {
            return false;
        }
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
