package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.RefusalMessages;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the bundle fuzz tests put their inputs and let the loader extract: one directory per test JVM, under
 * {@code target/}, holding {@code bundles/input.rbp} (each input in turn) and {@code extract/} (every loader's
 * extraction directory). After each input the tree must hold exactly those: anything else is a file left behind in
 * the extraction directory, or one written outside it.
 *
 * <p>{@link #attempt} runs everything a caller can ask of a bundle and accepts only two endings for each step: it
 * works, or it throws a {@link PluginLoadException} with a bounded, printable message. Any other throwable (an
 * unchecked exception, an {@link OutOfMemoryError}) propagates and is the fuzzer's finding.
 */
final class FuzzSandbox
{
    /** Small, so that an oversized entry costs the fuzzer little; the sample library (about 630 KB) fits. */
    static final long MAX_ENTRY_BYTES = 1L << 20;
    private static final String INPUT = "input.rbp";

    private final Path root;
    private final Path bundles;
    private final Path extract;

    private FuzzSandbox(final Path root)
    {
        this.root = root;
        this.bundles = root.resolve("bundles");
        this.extract = root.resolve("extract");
    }

    /** @return a new sandbox under the module's {@code target/} (the tests' working directory). */
    static FuzzSandbox create()
    {
        try
        {
            final FuzzSandbox sandbox = new FuzzSandbox(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "fuzz-sandbox-"));
            Files.createDirectory(sandbox.bundles);
            Files.createDirectory(sandbox.extract);
            return sandbox;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a loader builder that extracts into this sandbox, for the tests' platform, with the small entry bound. */
    BundleLoader.Builder loader()
    {
        return BundleLoader.builder().platform(TestBundles.PLATFORM).extractionDirectory(extract).maxEntryBytes(MAX_ENTRY_BYTES);
    }

    /** @return the input written as {@code bundles/input.rbp}, replacing the last one. */
    Path write(final byte[] bytes)
    {
        return TestBundles.write(bundles.resolve(INPUT), bytes);
    }

    /**
     * Reads the manifest, opens the bundle, reads every schema and extracts the library; each step either works or
     * is refused as it must be. Then checks that nothing was left behind.
     *
     * @param loader    the loader to try.
     * @param libraries the SHA-256 (hex) of every library this loader may extract; any library when empty (the
     *                  library must still match its manifest's checksum).
     * @param input     describes the input, for failure messages.
     */
    void attempt(final BundleLoader loader, final Set<String> libraries, final Supplier<String> input)
    {
        final Path file = bundles.resolve(INPUT);
        step(() -> loader.readManifest(file), input);
        step(() ->
        {
            try (Bundle bundle = loader.open(file))
            {
                for (final String schema : bundle.manifest().schemas().keySet())
                {
                    step(() -> bundle.readSchema(schema), input);
                }
                step(() -> checkLibrary(bundle, libraries, input), input);
            }
        }, input);
        assertNothingLeftBehind(input);
    }

    /**
     * As {@link #attempt}, for a bundle read from a stream: its private copy, made in the extraction directory, must
     * be gone too once the bundle is closed or refused.
     */
    void attemptFromStream(final BundleLoader loader, final byte[] bytes, final Set<String> libraries, final Supplier<String> input)
    {
        step(() ->
        {
            try (Bundle bundle = loader.open(new ByteArrayInputStream(bytes), INPUT))
            {
                step(() -> checkLibrary(bundle, libraries, input), input);
            }
        }, input);
        assertNothingLeftBehind(input);
    }

    private void checkLibrary(final Bundle bundle, final Set<String> libraries, final Supplier<String> input) throws PluginLoadException
    {
        try (ExtractedLibrary library = bundle.extractLibrary())
        {
            assertTrue(library.path().startsWith(extract), () -> "extracted to " + library.path() + "; input: " + input.get());
            final String sha256 = TestBundles.sha256(TestBundles.read(library.path()));
            assertEquals(bundle.manifest().variant(TestBundles.PLATFORM, "release").sha256().toLowerCase(java.util.Locale.ROOT), sha256, input);
            assertTrue(libraries.isEmpty() || libraries.contains(sha256),
                () -> "extracted a library no trusted key signed, sha256 " + sha256 + "; input: " + input.get());
        }
    }

    /** Fails naming every file or directory besides the input and the empty extraction directory. */
    void assertNothingLeftBehind(final Supplier<String> input)
    {
        try (Stream<Path> tree = Files.walk(root))
        {
            final List<Path> strays = tree.filter(path -> !path.equals(root) && !path.equals(bundles) && !path.equals(extract)
                && !path.equals(bundles.resolve(INPUT))).toList();
            assertEquals(List.of(), strays, () -> "left behind; input: " + input.get());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** A step that may be refused. */
    interface Step
    {
        void run() throws PluginLoadException;
    }

    /** Runs a step: it works, or it is refused with a bounded, printable message; anything else propagates. */
    static void step(final Step step, final Supplier<String> input)
    {
        try
        {
            step.run();
        }
        catch (final PluginLoadException e)
        {
            RefusalMessages.assertBoundedAndPrintable(e, input);
        }
    }
}
