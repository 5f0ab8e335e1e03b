package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.LifecycleState;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import static dev.ringbridge.ffi.bundle.TestBundles.SAMPLE_LIBRARY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        TestBundles.signedSample();
    }

    @Test
    void shouldLoadTheSignedSampleAndDeleteItsPrivateDirectoryOnClose() throws Exception
    {
        final Path bundle = TestBundles.write(bundles, "sync-demo-signed.rbp", TestBundles.signedSample());
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

    private static long count(final Path directory) throws IOException
    {
        try (var files = Files.list(directory))
        {
            return files.count();
        }
    }
}
