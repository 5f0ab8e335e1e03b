package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.LifecycleState;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static dev.ringbridge.ffi.bundle.TestBundles.MANIFEST;
import static dev.ringbridge.ffi.bundle.TestBundles.SAMPLE_LIBRARY;
import static dev.ringbridge.ffi.bundle.TestBundles.SIG;
import static dev.ringbridge.ffi.bundle.TestBundles.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Loads the real sample plugin from bundles: the one the Maven build packs (unsigned), and one
 * signed by the minisign tool over the very library this checkout builds.
 */
class BundleSampleTest
{
    @TempDir
    private Path bundles;
    @TempDir
    private Path extractTo;

    @Test
    void shouldLoadTheSampleBundleAndCallEchoAsTheSeedsMainPyDoes() throws Exception
    {
        final Path bundlePath = SamplePlugin.bundle();
        final Path privateDirectory;

        // The tutorial's main.py, line for line.
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).build();
        try (NativePlugin plugin = loader.load(bundlePath))
        {
            final String responseJson = plugin.call("echo", "{\"message\": \"Hello from Java!\"}");

            assertEquals("Hello from Java!", SamplePlugin.textField(responseJson, "message"));
            assertEquals(16, SamplePlugin.longField(responseJson, "length"));
            privateDirectory = plugin.libraryPath().getParent();
            assertTrue(privateDirectory.getFileName().toString().startsWith("ringbridge-plugin-"), privateDirectory.toString());
        }
        assertFalse(Files.exists(privateDirectory), "closing the plugin must delete " + privateDirectory);
    }

    @Test
    void shouldReadTheBuildInfoSchemaAndSbomOfTheFormatOnePointOneBundleTheBuildMakes() throws Exception
    {
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).extractionDirectory(extractTo).build();
        try (Bundle bundle = loader.open(SamplePlugin.bundle()))
        {
            final BundleManifest manifest = bundle.manifest();
            assertEquals("1.1", manifest.bundleVersion());
            final BundleManifest.BuildInfo build = manifest.buildInfo().orElseThrow();
            assertTrue(build.builtBy().startsWith("ringbridge Maven build"), build.builtBy());
            assertTrue(build.compiler().startsWith("rustc "), build.compiler());
            assertTrue(build.builtAt().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), build.builtAt());
            assertEquals("maven-antrun-plugin", build.custom().get("packed_by"));
            assertEquals(new BundleManifest.Sbom("sbom/sbom.cdx.json", null), manifest.sbom().orElseThrow());
            assertEquals("json-schema-draft-07", manifest.schemas().get("messages.json").format());
            assertTrue(new String(bundle.readSchema("messages.json"), java.nio.charset.StandardCharsets.UTF_8).contains("EchoRequest"));
        }
    }

    @Test
    void shouldHaveSignedFixturesForTheLibraryThisCheckoutBuilds()
    {
        signedSample();
    }

    @Test
    void shouldLoadTheSignedSampleAndDeleteItsPrivateDirectoryOnClose() throws Exception
    {
        final Path bundle = TestBundles.write(bundles, "sync-demo-signed.rbp", signedSample());
        final BundleLoader loader = BundleLoader.builder()
            .publicKey(TestBundles.text("keys/trusted.pub"))
            .extractionDirectory(extractTo)
            .build();
        try (NativePlugin plugin = loader.load(bundle, PluginConfig.builder().workerThreads(1).build()))
        {
            assertEquals(LifecycleState.ACTIVE, plugin.state());
            assertEquals("signed", SamplePlugin.textField(plugin.call("echo", "{\"message\": \"signed\"}"), "message"));
            final Path directory = plugin.libraryPath().getParent();
            assertEquals(extractTo, directory.getParent());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        }
        assertEquals(0, count(extractTo), "closing the plugin must leave the extraction directory empty");
    }

    @Test
    void shouldLoadTwoPluginsFromOneOpenedBundleEachWithItsOwnCopy() throws Exception
    {
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).extractionDirectory(extractTo).build();
        try (Bundle bundle = loader.open(SamplePlugin.bundle());
             NativePlugin first = bundle.load();
             NativePlugin second = bundle.load())
        {
            assertNotEquals(first.libraryPath(), second.libraryPath());
            assertEquals(2, count(extractTo));
            assertEquals("a", SamplePlugin.textField(first.call("echo", "{\"message\": \"a\"}"), "message"));
            assertEquals("b", SamplePlugin.textField(second.call("echo", "{\"message\": \"b\"}"), "message"));
        }
        assertEquals(0, count(extractTo));
    }

    @Test
    void shouldReadTheSampleManifestAndListItsPlatformsAndVariants() throws Exception
    {
        final BundleManifest manifest = BundleLoader.builder().verifySignatures(false).build().readManifest(SamplePlugin.bundle());
        assertEquals("sync-demo", manifest.plugin().name());
        assertEquals("0.1.0", manifest.plugin().version());
        assertEquals(Set.of("linux-x86_64"), manifest.platforms());
        assertEquals(Set.of("release"), manifest.variants("linux-x86_64"));
        assertEquals(SAMPLE_LIBRARY, manifest.variant("linux-x86_64", "release").library());
    }

    @Test
    void shouldExtractTheSampleWithoutLoadingIt() throws Exception
    {
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).extractionDirectory(extractTo).build();
        try (ExtractedLibrary library = loader.extract(SamplePlugin.bundle()))
        {
            assertArrayEquals(Files.readAllBytes(SamplePlugin.library()), Files.readAllBytes(library.path()));
        }
        assertEquals(0, count(extractTo));
    }

    /**
     * The sample bundle signed with the trusted test key: committed manifest and signatures, and the
     * library this checkout built. Fails, saying what to run, when the build no longer produces the
     * bytes the committed signature covers.
     */
    private static Map<String, byte[]> signedSample()
    {
        final byte[] library = read(SamplePlugin.library());
        final byte[] manifest = resource("sample/manifest.json");
        final String signedSha = librarySha256(manifest);
        final String builtSha = sha256(library);
        if (!builtSha.equals(signedSha))
        {
            fail("signed fixtures out of date: the sample library built by this checkout (" + SamplePlugin.library()
                + ") has sha256 " + builtSha + ", but the committed signature covers " + signedSha
                + ". The plugin's source or the Rust toolchain changed; run bundle/src/test/resources/bundle/make-fixtures.sh"
                + " (needs minisign) and commit the changed files under bundle/src/test/resources/bundle/sample/");
        }
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(MANIFEST, manifest);
        entries.put(MANIFEST + SIG, resource("sample/manifest.json.minisig"));
        entries.put(SAMPLE_LIBRARY, library);
        entries.put(SAMPLE_LIBRARY + SIG, resource("sample/libsync_demo.so.minisig"));
        return entries;
    }

    /** @return the library checksum the committed sample manifest, and so its signature, vouches for. */
    private static String librarySha256(final byte[] manifest)
    {
        try
        {
            return BundleManifest.parse(manifest).variant("linux-x86_64", "release").sha256();
        }
        catch (final PluginLoadException e)
        {
            throw new AssertionError("committed sample/manifest.json is invalid", e);
        }
    }

    private static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new AssertionError(e);
        }
    }

    private static byte[] read(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(final Path directory) throws IOException
    {
        try (var files = Files.list(directory))
        {
            return files.count();
        }
    }
}
