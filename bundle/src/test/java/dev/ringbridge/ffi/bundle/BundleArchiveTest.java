package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.ringbridge.ffi.bundle.TestBundles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleArchiveTest
{
    @TempDir
    private Path dir;

    @Test
    void shouldReadEntriesOfAPlainArchive() throws Exception
    {
        final Path file = TestBundles.write(dir, "plain.rbp", Map.of("manifest.json", utf8("{}"), "lib/", new byte[0]));
        try (BundleArchive archive = BundleArchive.open(file))
        {
            assertArrayEquals(utf8("{}"), archive.read("manifest.json", 10));
            assertTrue(archive.contains("manifest.json"));
            assertFalse(archive.contains("other.json"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "../evil.so|contains '..'",
        "lib/../../evil.so|contains '..'",
        "/etc/evil.so|is absolute",
        "lib\\evil.so|contains a backslash",
        "C:/evil.so|starts with a drive letter",
        "lib/./evil.so|is not canonical",
        "lib//evil.so|is not canonical",
    })
    void shouldRefuseAnArchiveWithAnUnsafeEntryName(final String name, final String problem)
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", utf8("{}"));
        entries.put(name, utf8("payload"));
        final Path file = TestBundles.write(dir, "hostile.rbp", entries);
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> BundleArchive.open(file));
        assertTrue(e.getMessage().contains("entry '" + name + "'") && e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void shouldRefuseDuplicateEntryNames()
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", utf8("{\"first\": true}"));
        entries.put("manifest.jsoX", utf8("{\"second\": true}"));
        final byte[] duplicated = TestBundles.renameEntry(TestBundles.zip(entries), "manifest.jsoX", "manifest.json");
        final Path file = TestBundles.write(dir.resolve("duplicate.rbp"), duplicated);
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> BundleArchive.open(file));
        assertTrue(e.getMessage().contains("two entries with this name") && e.getMessage().contains("manifest.json"), e.getMessage());
    }

    @Test
    void shouldRefuseSymbolicLinks()
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", utf8("{}"));
        entries.put("lib/libevil.so", utf8("/etc/passwd"));
        final byte[] linked = TestBundles.withUnixMode(TestBundles.zip(entries), "lib/libevil.so", 0120777);
        final Path file = TestBundles.write(dir.resolve("link.rbp"), linked);
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> BundleArchive.open(file));
        assertTrue(e.getMessage().contains("lib/libevil.so") && e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void shouldRefuseOtherSpecialFiles()
    {
        final byte[] fifo = TestBundles.withUnixMode(TestBundles.zip(Map.of("pipe", new byte[0])), "pipe", 0010644);
        final Path file = TestBundles.write(dir.resolve("fifo.rbp"), fifo);
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> BundleArchive.open(file));
        assertTrue(e.getMessage().contains("FIFO"), e.getMessage());
    }

    @Test
    void shouldAcceptRegularFilesWithUnixModes() throws Exception
    {
        final byte[] regular = TestBundles.withUnixMode(TestBundles.zip(Map.of("lib.so", utf8("x"))), "lib.so", 0100755);
        final Path file = TestBundles.write(dir.resolve("modes.rbp"), regular);
        try (BundleArchive archive = BundleArchive.open(file))
        {
            assertArrayEquals(utf8("x"), archive.read("lib.so", 1));
        }
    }

    @Test
    void shouldReadAZip64Archive() throws Exception
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", utf8("{}"));
        entries.put("lib/x.so", utf8("x"));
        final Path file = TestBundles.write(dir.resolve("zip64.rbp"), TestBundles.asZip64(TestBundles.zip(entries)));
        try (BundleArchive archive = BundleArchive.open(file))
        {
            assertArrayEquals(utf8("x"), archive.read("lib/x.so", 1));
        }
    }

    @Test
    void shouldRefuseAnEntryDeclaredLargerThanTheBound() throws Exception
    {
        final Path file = TestBundles.write(dir, "big.rbp", Map.of("big.bin", new byte[4096]));
        try (BundleArchive archive = BundleArchive.open(file))
        {
            final PluginLoadException e = assertThrows(PluginLoadException.class, () -> archive.read("big.bin", 4095));
            assertTrue(e.getMessage().contains("big.bin") && e.getMessage().contains("larger than the bound of 4095 bytes"), e.getMessage());
        }
    }

    @Test
    void shouldBoundTheBytesInflatedNotTheDeclaredSize() throws Exception
    {
        // 8 MiB of zeros deflate to a few kilobytes; the central directory then claims 16 bytes.
        final byte[] bomb = TestBundles.withDeclaredSize(TestBundles.zip(Map.of("bomb.bin", new byte[8 << 20])), "bomb.bin", 16);
        final Path file = TestBundles.write(dir.resolve("bomb.rbp"), bomb);
        assertTrue(Files.size(file) < 64 * 1024);
        try (BundleArchive archive = BundleArchive.open(file))
        {
            final PluginLoadException e = assertThrows(PluginLoadException.class, () -> archive.read("bomb.bin", 1 << 20));
            // Refused at the first byte past the declared size, long before the bound.
            assertTrue(e.getMessage().contains("entry bomb.bin of bundle " + file + " inflates to more than the 16 bytes the archive declares"),
                e.getMessage());
        }
    }

    @Test
    void shouldNameAMissingEntry() throws Exception
    {
        final Path file = TestBundles.write(dir, "plain.rbp", Map.of("manifest.json", utf8("{}")));
        try (BundleArchive archive = BundleArchive.open(file))
        {
            final PluginLoadException e = assertThrows(PluginLoadException.class, () -> archive.read("lib/missing.so", 10));
            assertTrue(e.getMessage().contains("has no entry lib/missing.so"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotAZip() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("text.rbp"), "just some text, no archive");
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> BundleArchive.open(file));
        assertTrue(e.getMessage().contains("not a well-formed ZIP archive"), e.getMessage());
    }

    @Test
    void shouldRefuseDataPrependedToTheArchive() throws Exception
    {
        final byte[] zip = TestBundles.zip(Map.of("manifest.json", utf8("{}")));
        final byte[] prepended = new byte[zip.length + 100];
        System.arraycopy(zip, 0, prepended, 100, zip.length);
        final Path file = TestBundles.write(dir.resolve("prepended.rbp"), prepended);
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> BundleArchive.open(file));
        assertTrue(e.getMessage().contains("central directory is not where its end record says"), e.getMessage());
    }
}
