package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.RefusalMessages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ringbridge.ffi.bundle.TestBundles.FAKE_LIBRARY;
import static dev.ringbridge.ffi.bundle.TestBundles.MANIFEST;
import static dev.ringbridge.ffi.bundle.TestBundles.PLATFORM;
import static dev.ringbridge.ffi.bundle.TestBundles.SIG;
import static dev.ringbridge.ffi.bundle.TestBundles.resource;
import static dev.ringbridge.ffi.bundle.TestBundles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bundles made by someone hostile (issue 9): parser limits, an entry just under the default bound,
 * file names this JVM can't write, and text meant for log lines. Every one must end in a
 * {@link PluginLoadException} with a bounded, printable message, and leave nothing on disk.
 */
class BundleHostileInputTest
{
    /** Set by the surefire execution that runs the bundle tests under {@code LC_ALL=C}. */
    private static final String EXPECT_ASCII_FILE_NAMES = "ringbridge.test.asciiFileNames";
    private static final String FAKE_SHA256 = "f291f06dc9d7ec11b17142189d430804f0411f5d5ad3b1f8983f9f8258c9e9a6";
    private static final String NON_ASCII_LIBRARY = "lib/linux-x86_64/release/libpl\u00fcgin-\u00e9.so";

    @TempDir
    private Path bundles;
    @TempDir
    private Path extractTo;

    @Test
    void shouldRefuseManifestsBeyondTheParserLimitsWhateverTheSignaturePolicy()
    {
        final String[] hostile = {
            TestBundles.manifest(FAKE_LIBRARY, FAKE_SHA256).replace("{\"bundle_version\"", "{\"ignored\": " + "9".repeat(1001) + ", \"bundle_version\""),
            TestBundles.manifest(FAKE_LIBRARY, FAKE_SHA256).replace("{\"bundle_version\"", "{\"ignored\": " + "[".repeat(1001) + "]".repeat(1001)
                + ", \"bundle_version\""),
            TestBundles.manifest(FAKE_LIBRARY, FAKE_SHA256).replace("{\"bundle_version\"", "{\"" + "k".repeat(50_001) + "\": 1, \"bundle_version\""),
        };
        for (final String manifest : hostile)
        {
            assertRefused(() -> BundleManifest.parse(utf8(manifest)), "manifest.json is refused: it exceeds a limit of the JSON parser");
            final Path bundle = TestBundles.write(bundles, "limits.rbp", TestBundles.signedFakeWithManifest(manifest));
            // Parsed before any signature is read, before the embedded key's check, and after the trusted key's.
            final BundleLoader[] loaders = {
                BundleLoader.builder().verifySignatures(false).platform(PLATFORM).extractionDirectory(extractTo).build(),
                BundleLoader.builder().trustEmbeddedKey().platform(PLATFORM).extractionDirectory(extractTo).build(),
                trusting(),
            };
            for (final BundleLoader loader : loaders)
            {
                assertRefused(() -> loader.load(bundle), "exceeds a limit of the JSON parser");
                assertRefused(() -> loader.readManifest(bundle), "exceeds a limit of the JSON parser");
            }
        }
    }

    @Test
    @Tag("large")
    void shouldStreamLibrariesUpToTheDefaultBoundThroughASmallHeap() throws Exception
    {
        // The bundle: correctly signed, its library replaced by 256 MiB - 1 zero bytes.
        final Map<String, byte[]> tampered = TestBundles.signedFake();
        tampered.remove(FAKE_LIBRARY);
        final Path zeros = TestBundles.writeWithZeros(bundles.resolve("zeros.rbp"), tampered, FAKE_LIBRARY,
            BundleLoader.DEFAULT_MAX_ENTRY_BYTES - 1);
        // And a genuinely signed one with a 64 MiB library.
        final int size = 64 << 20;
        final byte[] library = new byte[size];
        final Map<String, byte[]> signed = TestBundles.signedFakeWithManifest(TestBundles.manifest(FAKE_LIBRARY,
            HexFormat.of().formatHex(sha256(library))));
        signed.remove(FAKE_LIBRARY);
        signed.put(FAKE_LIBRARY + SIG, TestSigner.of("trusted").sign(library, "test", utf8("64 MiB of zeros")));
        final Path large = TestBundles.writeWithZeros(bundles.resolve("large.rbp"), signed, FAKE_LIBRARY, size);

        // A 64 MiB heap: reading either library into memory would fail with OutOfMemoryError.
        final List<String> results = SmallHeapExtraction.run("64m", TestBundles.publicKey("trusted"), extractTo, zeros, large);
        assertEquals(2, results.size(), results::toString);
        assertTrue(results.get(0).startsWith("REFUSED checksum mismatch for library " + FAKE_LIBRARY), results.get(0));
        assertEquals("OK " + size, results.get(1));
        assertNothingLeftBehind();
    }

    @Test
    @Tag("large")
    void shouldRefuseALegacySignedLibraryTooLargeToVerifyInMemory()
    {
        final int size = MinisignVerifier.LEGACY_MAX_BYTES + 1;
        final byte[] zeros = new byte[size];
        final String sha256 = HexFormat.of().formatHex(sha256(zeros));
        final Map<String, byte[]> entries = TestBundles.signedFakeWithManifest(TestBundles.manifest(FAKE_LIBRARY, sha256));
        entries.remove(FAKE_LIBRARY);
        entries.put(FAKE_LIBRARY + SIG, TestSigner.of("trusted").signLegacy(zeros, "test", utf8("legacy")));
        final Path bundle = TestBundles.writeWithZeros(bundles.resolve("legacy-large.rbp"), entries, FAKE_LIBRARY, size);
        assertRefused(() -> trusting().extract(bundle), "is in minisign's legacy form ('Ed'), which is verified in memory, and the file has "
            + size + " bytes, more than the " + MinisignVerifier.LEGACY_MAX_BYTES + " allowed");
    }

    @Test
    void shouldExtractANonAsciiLibraryNameOrRefuseItBeforeCreatingAnything() throws Exception
    {
        final String fileName = ArchivePath.fileName(NON_ASCII_LIBRARY);
        final boolean encodable = Charset.forName(System.getProperty("sun.jnu.encoding")).newEncoder().canEncode(fileName);
        if (Boolean.getBoolean(EXPECT_ASCII_FILE_NAMES))
        {
            assertFalse(encodable, "this run is meant to reproduce LC_ALL=C, but file names are encoded as "
                + System.getProperty("sun.jnu.encoding"));
        }
        final Map<String, byte[]> entries = TestBundles.unsignedFake();
        entries.remove(FAKE_LIBRARY);
        entries.put(NON_ASCII_LIBRARY, resource("fake/libfake.so"));
        entries.put(MANIFEST, utf8(TestBundles.manifest(NON_ASCII_LIBRARY, FAKE_SHA256)));
        final Path bundle = TestBundles.write(bundles, "non-ascii.rbp", entries);
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).platform(PLATFORM).extractionDirectory(extractTo).build();
        if (encodable)
        {
            try (ExtractedLibrary library = loader.extract(bundle))
            {
                assertEquals(fileName, library.path().getFileName().toString());
                assertArrayEquals(resource("fake/libfake.so"), Files.readAllBytes(library.path()));
            }
            assertNothingLeftBehind();
        }
        else
        {
            final String expected = "the library's file name '" + fileName + "' can't be a file name in this JVM, whose file names are"
                + " encoded as " + System.getProperty("sun.jnu.encoding");
            assertRefused(() -> loader.extract(bundle), expected);
            assertRefused(() -> loader.load(bundle), expected);
        }
    }

    @Test
    void shouldEscapeAndBoundUntrustedTextInEveryMessage()
    {
        final String injected = "x\r\n2026-01-01 INFO forged log line \u001b[31mred\u001b[0m \u009b2J \u202eevil" + "A".repeat(600_000);
        final String valid = TestBundles.manifest(FAKE_LIBRARY, FAKE_SHA256);
        final String[] hostile = {
            valid.replace("\"bundle_version\": \"1.0\"", "\"bundle_version\": " + json(injected)),
            valid.replace("\"bundle_version\": \"1.0\"", "\"bundle_version\": \"" + "1.0".repeat(100_000) + "\""),
            valid.replace("\"linux-x86_64\": {", json(injected) + ": {"),
            valid.replace("\"release\": {", json(injected) + ": {\"library\": \"a\", \"checksum\": \"x\"}, \"release\": {"),
            valid.replace("\"library\": \"" + FAKE_LIBRARY + "\"", "\"library\": \"" + "d/".repeat(300_000) + "..\""),
            valid.replace("\"sha256:" + FAKE_SHA256 + "\"", json(injected)),
            valid.replace("{\"bundle_version\"", "{\"schemas\": {" + json(injected) + ": {}}, \"bundle_version\""),
            valid.replace("{\"bundle_version\"", "{\"bundle_version\": \"1.0\", " + json(injected.substring(0, 40_000)) + ": 1, "
                + json(injected.substring(0, 40_000)) + ": 2, \"x\""),
            valid.replace("{\"bundle_version\"", "{\"x\": \"" + "y".repeat(20) + injected + "\u0001\", \"bundle_version\""),
        };
        for (final String manifest : hostile)
        {
            RefusalMessages.assertBoundedAndPrintable(assertThrows(PluginLoadException.class, () -> BundleManifest.parse(utf8(manifest))),
                () -> manifest.length() + " chars of manifest");
        }

        // The embedded public_key, and a plugin name quoted when the platform is missing.
        final Path bundle = TestBundles.write(bundles, "key.rbp", TestBundles.signedFakeWithManifest(valid.replace("\"plugin\": {",
            "\"public_key\": " + json(injected.replace("\r\n", "")) + ", \"plugin\": {")));
        RefusalMessages.assertBoundedAndPrintable(assertThrows(PluginLoadException.class,
            () -> BundleLoader.builder().trustEmbeddedKey().platform(PLATFORM).extractionDirectory(extractTo).build().load(bundle)), () -> "key");
        final Path named = TestBundles.write(bundles, "named.rbp", TestBundles.signedFakeWithManifest(valid.replace("\"name\": \"test\"",
            "\"name\": " + json(injected))));
        RefusalMessages.assertBoundedAndPrintable(assertThrows(PluginLoadException.class,
            () -> BundleLoader.builder().verifySignatures(false).platform("darwin-aarch64").build().load(named)), () -> "name");

        // A trusted comment altered to carry the same text.
        final Map<String, byte[]> entries = TestBundles.signedFake();
        final String minisig = TestBundles.text("fake/manifest.json.minisig");
        entries.put(MANIFEST + SIG, utf8(minisig.replace("trusted comment: ", "trusted comment: " + injected.substring(0, 8000)
            .replace("\n", "").replace("\r", "\u001b"))));
        final Path altered = TestBundles.write(bundles, "comment.rbp", entries);
        final PluginLoadException comment = assertThrows(PluginLoadException.class, () -> trusting().load(altered));
        assertTrue(comment.getMessage().contains("the trusted comment 'x\\u001b2026-01-01 INFO forged log line \\u001b[31mred"), comment.getMessage());
        RefusalMessages.assertBoundedAndPrintable(comment, () -> "comment");
        assertNothingLeftBehind();
    }

    private static String json(final String text)
    {
        final StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> out.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.append('"').toString();
    }

    private BundleLoader trusting()
    {
        return BundleLoader.builder().publicKey(TestBundles.publicKey("trusted")).platform(PLATFORM).extractionDirectory(extractTo).build();
    }

    private void assertRefused(final Executable action, final String expected)
    {
        TestBundles.assertRefused(action, expected, extractTo, bundles);
    }

    private void assertNothingLeftBehind()
    {
        TestBundles.assertNothingLeftBehind(extractTo, bundles);
    }

    private static byte[] sha256(final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }

}
