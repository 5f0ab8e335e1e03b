package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ringbridge.ffi.bundle.TestBundles.MANIFEST;
import static dev.ringbridge.ffi.bundle.TestBundles.PLATFORM;
import static dev.ringbridge.ffi.bundle.TestBundles.resource;
import static dev.ringbridge.ffi.bundle.TestBundles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bundles read from a stream or a class path resource: copied into a private directory, checked as a file is, and
 * the copy deleted on close or on any refusal.
 */
class BundleStreamTest
{
    @TempDir
    private Path resources;
    @TempDir
    private Path extractTo;

    @Test
    void shouldOpenASignedBundleFromAStreamAndDeleteTheCopyOnClose() throws Exception
    {
        try (Bundle bundle = trusting().build().open(new ByteArrayInputStream(TestBundles.zip(TestBundles.signedFake())), "signed.rbp"))
        {
            assertEquals("signed.rbp", bundle.path().getFileName().toString());
            assertEquals(extractTo, bundle.path().getParent().getParent());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle.path().getParent())));
            try (ExtractedLibrary library = bundle.extractLibrary())
            {
                assertArrayEquals(resource("fake/libfake.so"), Files.readAllBytes(library.path()));
            }
        }
        assertEquals(List.of(), list(extractTo), "closing the bundle must delete its copy");
    }

    @Test
    void shouldRefuseATamperedBundleFromAStreamAndLeaveNothing()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(MANIFEST, utf8(TestBundles.text("fake/manifest.json").replace("echo, sleep", "echo, sleep, steal")));
        final BundleLoader loader = trusting().build();
        final PluginLoadException e = assertThrows(PluginLoadException.class,
            () -> loader.open(new ByteArrayInputStream(TestBundles.zip(entries)), "tampered.rbp"));
        assertTrue(e.getMessage().contains("signature of manifest.json does not verify with the trusted key"), e.getMessage());
        assertEquals(List.of(), list(extractTo));
    }

    @Test
    void shouldRefuseAStreamBeyondMaxBundleBytesAtTheFirstByteTooMany()
    {
        final BundleLoader loader = trusting().maxBundleBytes(1000).build();
        final PluginLoadException e = assertThrows(PluginLoadException.class,
            () -> loader.open(new ByteArrayInputStream(new byte[1001]), "large.rbp"));
        assertTrue(e.getMessage().contains("more than 1000 bytes (maxBundleBytes)"), e.getMessage());
        assertEquals(List.of(), list(extractTo));
        assertThrows(IllegalArgumentException.class, () -> BundleLoader.builder().maxBundleBytes(0));
    }

    @Test
    void shouldReportAStreamThatFailsAndLeaveNothing()
    {
        final InputStream failing = new InputStream()
        {
            @Override
            public int read() throws IOException
            {
                throw new IOException("connection reset");
            }
        };
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> trusting().build().open(failing, "remote.rbp"));
        assertTrue(e.getMessage().contains("cannot read bundle remote.rbp") && e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(List.of(), list(extractTo));
    }

    @Test
    void shouldNameTheCopySafelyWhateverTheStreamIsCalled() throws Exception
    {
        final byte[] zip = TestBundles.zip(TestBundles.signedFake());
        try (Bundle bundle = trusting().build().open(new ByteArrayInputStream(zip), "../../etc/ünïcode name.rbp"))
        {
            assertEquals("bundle.rbp", bundle.path().getFileName().toString());
            assertEquals(extractTo, bundle.path().getParent().getParent());
        }
    }

    @Test
    void shouldOpenAClassPathResource() throws Exception
    {
        Files.createDirectories(resources.resolve("plugins"));
        TestBundles.write(resources.resolve("plugins/signed.rbp"), TestBundles.zip(TestBundles.signedFake()));
        try (URLClassLoader classLoader = new URLClassLoader(new URL[] {resources.toUri().toURL()}, null);
             Bundle bundle = trusting().build().openResource(classLoader, "plugins/signed.rbp"))
        {
            assertEquals("sync-demo", bundle.manifest().plugin().name());
        }
        assertEquals(List.of(), list(extractTo));
    }

    @Test
    void shouldSayWhichResourceIsMissing()
    {
        final BundleLoader loader = trusting().build();
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> loader.openResource("/plugins/absent.rbp"));
        assertTrue(e.getMessage().contains("no bundle resource /plugins/absent.rbp")
            && e.getMessage().contains("resource names take no leading slash"), e.getMessage());
        assertEquals(List.of(), list(extractTo));
    }

    @Test
    void shouldLoadTheSamplePluginFromTheContextClassLoader() throws Exception
    {
        Files.createDirectories(resources.resolve("plugins"));
        Files.copy(SamplePlugin.bundle(), resources.resolve("plugins/sync-demo-0.1.0.rbp"));
        final Thread thread = Thread.currentThread();
        final ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader classLoader = new URLClassLoader(new URL[] {resources.toUri().toURL()}, null))
        {
            thread.setContextClassLoader(classLoader);
            final BundleLoader loader = BundleLoader.builder().verifySignatures(false).extractionDirectory(extractTo).build();
            try (NativePlugin plugin = loader.loadResource("plugins/sync-demo-0.1.0.rbp"))
            {
                assertEquals("classpath", SamplePlugin.textField(plugin.call("echo", "{\"message\": \"classpath\"}"), "message"));
                assertEquals(List.of(plugin.libraryPath().getParent().getFileName().toString()), list(extractTo),
                    "the bundle's copy is deleted once the plugin is loaded; only the library's directory stays");
            }
        }
        finally
        {
            thread.setContextClassLoader(previous);
        }
        assertEquals(List.of(), list(extractTo));
    }

    private BundleLoader.Builder trusting()
    {
        return BundleLoader.builder().publicKey(TestBundles.publicKey("trusted")).platform(PLATFORM).extractionDirectory(extractTo);
    }

    private static List<String> list(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
