package dev.ringbridge.testing;

import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.PluginLoadException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build put the real sample plugin, and small readers for its JSON answers. Shared with the bundle's
 * and dispatcher's tests through ffi's test-jar, in a package of its own: with module descriptors, a package
 * of the ffi module's could not be shared from a second jar.
 */
public final class SamplePlugin
{
    private static final JsonFactory JSON = new JsonFactory();

    private SamplePlugin()
    {
    }

    public static Path library()
    {
        return existing("ringbridge.sample.library");
    }

    public static Path bundle()
    {
        return existing("ringbridge.sample.bundle");
    }

    public static NativePlugin load() throws PluginLoadException
    {
        return NativePlugin.load(library());
    }

    /** Reads one numeric field of a flat JSON object. */
    public static long longField(final String json, final String field)
    {
        return Long.parseLong(textField(json, field));
    }

    /** Reads one field of a flat JSON object as text. */
    public static String textField(final String json, final String field)
    {
        try (JsonParser parser = JSON.createParser(json))
        {
            while (parser.nextToken() != null)
            {
                if (parser.currentToken() == JsonToken.FIELD_NAME && field.equals(parser.currentName()))
                {
                    parser.nextToken();
                    return parser.getText();
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no field " + field + " in " + json);
    }

    /** The plugin's own test counters (the stats handler). */
    public static String stats(final NativePlugin plugin) throws PluginException
    {
        return plugin.call("stats", "{}");
    }

    /**
     * Skips the calling test (a JUnit assumption) when the build skipped the sample plugin because cargo is not
     * on the PATH (the build sets {@code ringbridge.sample.skip}); with cargo, a missing plugin fails the test.
     */
    public static void assumeBuilt()
    {
        Assumptions.assumeFalse(Boolean.getBoolean("ringbridge.sample.skip"),
            "the sample plugin was not built: cargo is not on the PATH");
    }

    private static Path existing(final String property)
    {
        assumeBuilt();
        final String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value)))
        {
            throw new IllegalStateException("system property " + property + " must name the sample plugin built by Maven, was " + value);
        }
        return Path.of(value);
    }
}
