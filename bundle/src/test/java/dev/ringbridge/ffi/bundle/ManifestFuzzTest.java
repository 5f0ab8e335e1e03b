package dev.ringbridge.ffi.bundle;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ringbridge.testing.FuzzBudget;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code manifest.json} as {@link BundleManifest#parse} reads it, after the archive checks and (with a trusted key)
 * the signature check: half the inputs are the fuzzer's bytes as they are, half are the sample bundle's real
 * manifest with one value replaced by a hostile one: a value of the wrong type, a missing field, a giant string or
 * number, deep nesting, a duplicate key, bytes that are not UTF-8, or the fuzzer's bytes. Parsing ends in a manifest
 * or a {@link dev.ringbridge.ffi.PluginLoadException} with a bounded, printable message, and so does every accessor
 * of a manifest it accepts; nothing else is thrown.
 */
class ManifestFuzzTest
{
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final byte[] SAMPLE = TestBundles.resource("sample/manifest.json");
    /** Where each value of the sample manifest starts and ends, and the field it belongs to (null in an array). */
    private static final List<Value> VALUES = values(SAMPLE);
    private static final String[] WRONG_TYPES = {"null", "true", "0", "-1", "1.5e308", "\"\"", "[]", "{}", "\"x\"", "[\"x\"]", "{\"x\":1}"};

    @FuzzTest(maxDuration = FuzzBudget.CEILING)
    void shouldParseOrRefuseAnyManifest(final FuzzedDataProvider data)
    {
        final String[] edit = {"the fuzzer's bytes"};
        final byte[] manifest = data.consumeBoolean() ? hostileValue(data, edit) : data.consumeRemainingAsBytes();
        final Supplier<String> input = () -> edit[0] + ", " + manifest.length + " bytes: "
            + HexFormat.of().formatHex(manifest, 0, Math.min(manifest.length, 256));
        FuzzSandbox.step(() ->
        {
            final BundleManifest parsed = BundleManifest.parse(manifest);
            parsed.toString();
            parsed.bundleVersion();
            parsed.plugin();
            parsed.schemas();
            parsed.publicKey();
            parsed.buildInfo();
            parsed.sbom();
            for (final String platform : parsed.platforms())
            {
                for (final String variant : parsed.variants(platform))
                {
                    FuzzSandbox.step(() -> parsed.variant(platform, variant), input);
                }
                FuzzSandbox.step(() -> parsed.variant(platform, "no-such-variant"), input);
            }
            FuzzSandbox.step(() -> parsed.variant("no-such-platform", "release"), input);
        }, input);
    }

    /** The sample manifest with one of its values, or one of its fields, made hostile. */
    private static byte[] hostileValue(final FuzzedDataProvider data, final String[] edit)
    {
        final Value value = data.pickValue(VALUES);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int kind = data.consumeInt(0, 7);
        final int from = kind == 1 && value.field() != null ? value.fieldStart() : value.start();
        out.write(SAMPLE, 0, from);
        switch (kind)
        {
            case 0 -> out.writeBytes(utf8(data.pickValue(WRONG_TYPES)));
            case 1 -> out.writeBytes(utf8(value.field() != null ? "\"x-removed\": 0" : "0"));
            case 2 -> out.writeBytes(utf8("\"" + "\\u001b[2J\u202e".repeat(data.consumeInt(0, 4)) + "a".repeat(data.consumeInt(0, 1 << 21)) + "\""));
            case 3 -> out.writeBytes(utf8((data.consumeBoolean() ? "-" : "") + "9".repeat(data.consumeInt(1, 5_000))
                + (data.consumeBoolean() ? "." + "1".repeat(data.consumeInt(1, 5_000)) : "") + (data.consumeBoolean() ? "e" + data.consumeInt() : "")));
            case 4 ->
            {
                final int depth = data.consumeInt(1, 5_000);
                final boolean objects = data.consumeBoolean();
                out.writeBytes(utf8((objects ? "{\"a\":" : "[").repeat(depth) + "1" + (objects ? "}" : "]").repeat(depth)));
            }
            case 5 ->
            {
                // The value, then the same field again: a duplicate key (in an array, a second element).
                out.write(SAMPLE, value.start(), value.end() - value.start());
                out.writeBytes(utf8(value.field() != null ? ", " + quoted(value.field()) + ": " : ", "));
                out.writeBytes(utf8(data.pickValue(WRONG_TYPES)));
            }
            case 6 ->
            {
                out.write('"');
                out.writeBytes(data.consumeBytes(data.consumeInt(0, 64)));
                out.write('"');
            }
            default -> out.writeBytes(data.consumeBytes(data.consumeInt(0, 1_024)));
        }
        out.write(SAMPLE, value.end(), SAMPLE.length - value.end());
        edit[0] = "kind " + kind + " at " + (value.field() == null ? "an array element" : "field " + value.field()) + " (byte " + value.start() + ")";
        return out.toByteArray();
    }

    /** A value of the manifest: its bytes are {@code [start, end)}, its field's name starts at {@code fieldStart}. */
    private record Value(String field, int fieldStart, int start, int end)
    {
    }

    private static List<Value> values(final byte[] json)
    {
        final List<Value> values = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json))
        {
            final List<int[]> open = new ArrayList<>();
            final List<String> fields = new ArrayList<>();
            String field = null;
            int fieldStart = -1;
            JsonToken token;
            while ((token = parser.nextToken()) != null)
            {
                final int at = (int)parser.currentTokenLocation().getByteOffset();
                if (token == JsonToken.FIELD_NAME)
                {
                    field = parser.currentName();
                    fieldStart = at;
                }
                else if (token.isStructStart())
                {
                    open.add(new int[] {at, fieldStart});
                    fields.add(field);
                    field = null;
                }
                else if (token.isStructEnd())
                {
                    final int[] start = open.removeLast();
                    final String name = fields.removeLast();
                    values.add(new Value(name, start[1], start[0], (int)parser.currentLocation().getByteOffset()));
                }
                else
                {
                    values.add(new Value(field, fieldStart, at, (int)parser.currentLocation().getByteOffset()));
                    field = null;
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    private static String quoted(final String text)
    {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
