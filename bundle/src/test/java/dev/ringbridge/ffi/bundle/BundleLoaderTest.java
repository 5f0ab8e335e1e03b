package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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
 * The loader's policy and every rejection, on bundles built from the fake-library fixtures: all of
 * them fail (or pass) before {@code dlopen}, so they do not depend on the sample plugin's bytes.
 * After each refusal, nothing may be left in the extraction directory or next to the bundle.
 */
class BundleLoaderTest
{
    @TempDir
    private Path bundles;
    @TempDir
    private Path extractTo;

    @Test
    void shouldRefuseToBuildWithVerificationOnAndNoKey()
    {
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> BundleLoader.builder().build());
        assertTrue(e.getMessage().contains("signature verification is on but no key to verify with was given")
            && e.getMessage().contains("publicKey(...)") && e.getMessage().contains("trustEmbeddedKey()"), e.getMessage());
    }

    @Test
    void shouldRefuseContradictoryKeySettings()
    {
        final String key = TestBundles.publicKey("trusted");
        assertThrows(IllegalStateException.class, () -> BundleLoader.builder().publicKey(key).trustEmbeddedKey().build());
        assertThrows(IllegalStateException.class, () -> BundleLoader.builder().verifySignatures(false).publicKey(key).build());
        assertThrows(IllegalStateException.class, () -> BundleLoader.builder().verifySignatures(false).trustEmbeddedKey().build());
        assertThrows(IllegalArgumentException.class, () -> BundleLoader.builder().publicKey("RWnot-a-key"));
        assertThrows(IllegalArgumentException.class, () -> BundleLoader.builder().platform("plan9-mips"));
        assertThrows(IllegalArgumentException.class, () -> BundleLoader.builder().maxEntryBytes(0));
    }

    @Test
    void shouldExtractASignedBundleIntoAPrivateDirectoryAndDeleteItOnClose() throws Exception
    {
        final Path bundle = TestBundles.write(bundles, "signed.rbp", TestBundles.signedFake());
        final Path directory;
        try (ExtractedLibrary library = trusting().build().extract(bundle))
        {
            directory = library.directory();
            assertEquals(extractTo, directory.getParent());
            assertEquals("libfake.so", library.path().getFileName().toString());
            assertArrayEquals(resource("fake/libfake.so"), Files.readAllBytes(library.path()));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(library.path())));
        }
        assertFalse(Files.exists(directory));
        assertNothingLeftBehind();
    }

    @Test
    void shouldAcceptLegacySignatures() throws Exception
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(MANIFEST + SIG, resource("fake/manifest.json.legacy.minisig"));
        entries.put(FAKE_LIBRARY + SIG, resource("fake/libfake.so.legacy.minisig"));
        final Path bundle = TestBundles.write(bundles, "legacy.rbp", entries);
        try (ExtractedLibrary library = trusting().build().extract(bundle))
        {
            assertArrayEquals(resource("fake/libfake.so"), Files.readAllBytes(library.path()));
        }
        assertNothingLeftBehind();
    }

    @Test
    void shouldTrustTheEmbeddedKeyOnlyWhenAskedTo() throws Exception
    {
        final Path bundle = TestBundles.write(bundles, "signed.rbp", TestBundles.signedFake());
        final BundleLoader loader = BundleLoader.builder().trustEmbeddedKey().platform(PLATFORM).extractionDirectory(extractTo).build();
        assertEquals(TestBundles.publicKey("trusted"), loader.readManifest(bundle).publicKey().orElseThrow());
        try (ExtractedLibrary library = loader.extract(bundle))
        {
            assertTrue(Files.isRegularFile(library.path()));
        }
        assertNothingLeftBehind();
    }

    @Test
    void shouldRefuseEmbeddedKeyTrustWhenTheManifestNamesNoKey()
    {
        final String manifest = TestBundles.text("fake/manifest.json").replaceAll(",\\s*\"public_key\": \"[^\"]*\"", "");
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(MANIFEST, utf8(manifest));
        final Path bundle = TestBundles.write(bundles, "keyless.rbp", entries);
        final BundleLoader loader = BundleLoader.builder().trustEmbeddedKey().platform(PLATFORM).extractionDirectory(extractTo).build();
        assertRefused(loader, bundle, "names no public_key in its manifest");
    }

    @Test
    void shouldRefuseAnUnsignedBundleNamingTheMissingSignature()
    {
        final Path bundle = TestBundles.write(bundles, "unsigned.rbp", TestBundles.unsignedFake());
        assertRefused(trusting().build(), bundle, "is not signed: manifest.json.minisig is missing and signature verification is on");
    }

    @Test
    void shouldRefuseAMissingLibrarySignature()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.remove(FAKE_LIBRARY + SIG);
        final Path bundle = TestBundles.write(bundles, "half-signed.rbp", entries);
        assertRefused(trusting().build(), bundle, "is not signed: " + FAKE_LIBRARY + ".minisig is missing");
    }

    @Test
    void shouldLoadAnUnsignedBundleWithVerificationOff() throws Exception
    {
        final Path bundle = TestBundles.write(bundles, "unsigned.rbp", TestBundles.unsignedFake());
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).platform(PLATFORM).extractionDirectory(extractTo).build();
        try (ExtractedLibrary library = loader.extract(bundle))
        {
            assertArrayEquals(resource("fake/libfake.so"), Files.readAllBytes(library.path()));
        }
        assertNothingLeftBehind();
    }

    @Test
    void shouldRefuseATamperedManifest()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(MANIFEST, utf8(TestBundles.text("fake/manifest.json").replace("echo, sleep", "echo, sleep, steal")));
        final Path bundle = TestBundles.write(bundles, "tampered-manifest.rbp", entries);
        assertRefused(trusting().build(), bundle, "signature of manifest.json does not verify with the trusted key");
    }

    @Test
    void shouldRefuseATamperedLibraryByTheSignedChecksum()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(FAKE_LIBRARY, resource("fake/libfake-tampered.so"));
        final Path bundle = TestBundles.write(bundles, "tampered-library.rbp", entries);
        assertRefused(trusting().build(), bundle, "checksum mismatch for library " + FAKE_LIBRARY);
    }

    @Test
    void shouldRefuseATamperedLibraryByItsOwnSignature()
    {
        // A validly signed manifest that carries the tampered library's checksum: only the library's
        // own signature can tell, and it must.
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(MANIFEST, resource("fake/manifest-tampered-lib.json"));
        entries.put(MANIFEST + SIG, resource("fake/manifest-tampered-lib.json.minisig"));
        entries.put(FAKE_LIBRARY, resource("fake/libfake-tampered.so"));
        final Path bundle = TestBundles.write(bundles, "tampered-library-signature.rbp", entries);
        assertRefused(trusting().build(), bundle, "signature of " + FAKE_LIBRARY + " does not verify with the trusted key");
    }

    @Test
    void shouldRefuseABundleSignedByAnotherKey()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(MANIFEST + SIG, resource("fake/manifest.json.other.minisig"));
        entries.put(FAKE_LIBRARY + SIG, resource("fake/libfake.so.other.minisig"));
        final Path bundle = TestBundles.write(bundles, "other-key.rbp", entries);
        final String otherId = MinisignPublicKey.parse(TestBundles.publicKey("other")).keyId();
        assertRefused(trusting().build(), bundle, "signature of manifest.json was made by key id " + otherId + ", not by the trusted key");
    }

    @Test
    void shouldRefuseAWrongKeyThatClaimsTheRightKeyId()
    {
        final Path bundle = TestBundles.write(bundles, "signed.rbp", TestBundles.signedFake());
        final BundleLoader impostor = trusting().publicKey(TestBundles.keyWithTrustedIdAndOtherKey()).build();
        assertRefused(impostor, bundle, "signature of manifest.json does not verify with the trusted key");
    }

    @Test
    void shouldRefuseALibrarySignedByAnotherKeyUnderASignedManifest()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(FAKE_LIBRARY + SIG, resource("fake/libfake.so.other.minisig"));
        final Path bundle = TestBundles.write(bundles, "mixed-keys.rbp", entries);
        assertRefused(trusting().build(), bundle, "signature of " + FAKE_LIBRARY + " was made by key id");
    }

    @Test
    void shouldRefuseACorruptedGlobalSignature()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(MANIFEST + SIG, utf8(TestBundles.withCorruptedGlobalSignature(TestBundles.text("fake/manifest.json.minisig"))));
        final Path bundle = TestBundles.write(bundles, "corrupted-global.rbp", entries);
        assertRefused(trusting().build(), bundle, "global signature of manifest.json's signature does not verify");
    }

    @Test
    void shouldRefuseASignatureMovedFromAnotherFile()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put(MANIFEST + SIG, resource("fake/libfake.so.minisig"));
        final Path bundle = TestBundles.write(bundles, "moved-signature.rbp", entries);
        assertRefused(trusting().build(), bundle, "signature of manifest.json does not verify");
    }

    @Test
    void shouldRefuseEntriesWithDotDotAndWriteNothingOutside()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put("../../evil.so", utf8("evil"));
        assertRefused(trusting().build(), TestBundles.write(bundles, "dotdot.rbp", entries), "entry '../../evil.so': its name contains '..'");
    }

    @Test
    void shouldRefuseAbsoluteEntryNames()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put("/tmp/evil.so", utf8("evil"));
        assertRefused(trusting().build(), TestBundles.write(bundles, "absolute.rbp", entries), "entry '/tmp/evil.so': its name is absolute");
    }

    @Test
    void shouldRefuseEntryNamesWithBackslashes()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.put("lib\\..\\evil.so", utf8("evil"));
        assertRefused(trusting().build(), TestBundles.write(bundles, "backslash.rbp", entries), "its name contains a backslash");
    }

    @Test
    void shouldRefuseADuplicateLibraryEntry()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        final String twin = FAKE_LIBRARY.replace("libfake.so", "libfakX.so");
        entries.put(twin, utf8("the evil twin"));
        final byte[] zip = TestBundles.renameEntry(TestBundles.zip(entries), twin, FAKE_LIBRARY);
        assertRefused(trusting().build(), TestBundles.write(bundles.resolve("duplicate.rbp"), zip),
            "entry '" + FAKE_LIBRARY + "': the archive holds two entries with this name");
    }

    @Test
    void shouldRefuseALibraryThatIsASymbolicLink()
    {
        final byte[] zip = TestBundles.withUnixMode(TestBundles.zip(TestBundles.signedFake()), FAKE_LIBRARY, 0120777);
        assertRefused(trusting().build(), TestBundles.write(bundles.resolve("link.rbp"), zip),
            "entry '" + FAKE_LIBRARY + "': it is a symbolic link, not a regular file");
    }

    @Test
    void shouldRefuseALibraryLargerThanTheBound()
    {
        final Map<String, byte[]> entries = TestBundles.unsignedFake();
        entries.put(FAKE_LIBRARY, new byte[8 << 20]);
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).platform(PLATFORM)
            .extractionDirectory(extractTo).maxEntryBytes(1 << 20).build();
        assertRefused(loader, TestBundles.write(bundles, "large.rbp", entries),
            "entry " + FAKE_LIBRARY + " of bundle " + bundles.resolve("large.rbp") + " is larger than the bound of 1048576 bytes");
        final byte[] bomb = TestBundles.withDeclaredSize(TestBundles.zip(entries), FAKE_LIBRARY, 52);
        assertRefused(loader, TestBundles.write(bundles.resolve("bomb.rbp"), bomb),
            "entry " + FAKE_LIBRARY + " of bundle " + bundles.resolve("bomb.rbp") + " inflates to more than the 52 bytes the archive declares");
    }

    @Test
    void shouldRefuseALibraryPathThatIsNotInTheArchive()
    {
        final Map<String, byte[]> entries = TestBundles.signedFake();
        entries.remove(FAKE_LIBRARY);
        assertRefused(trusting().build(), TestBundles.write(bundles, "no-library.rbp", entries),
            "lacks the library its manifest names: " + FAKE_LIBRARY + " is not in the archive");
    }

    @Test
    void shouldRefuseAManifestLibraryPathThatEscapes()
    {
        final Map<String, byte[]> entries = TestBundles.unsignedFake();
        entries.put(MANIFEST, utf8(TestBundles.manifest("../../../evil/libevil.so", "00".repeat(32))));
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).platform(PLATFORM).extractionDirectory(extractTo).build();
        assertRefused(loader, TestBundles.write(bundles, "escape.rbp", entries),
            "manifest field platforms.linux-x86_64.variants.release.library is refused: the path '../../../evil/libevil.so' contains '..'");
    }

    @Test
    void shouldRefuseABundleVersionTwo()
    {
        final Map<String, byte[]> entries = TestBundles.unsignedFake();
        entries.put(MANIFEST, utf8(TestBundles.text("fake/manifest.json").replace("\"1.0\"", "\"2.0\"")));
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).platform(PLATFORM).extractionDirectory(extractTo).build();
        assertRefused(loader, TestBundles.write(bundles, "v2.rbp", entries), "bundle_version is 2.0");
    }

    @Test
    void shouldNameThePlatformsTheBundleHasWhenThisOneIsMissing()
    {
        final Path bundle = TestBundles.write(bundles, "signed.rbp", TestBundles.signedFake());
        assertRefused(trusting().platform("darwin-aarch64").build(), bundle,
            "has no library for platform darwin-aarch64; it has: linux-x86_64");
    }

    @Test
    void shouldDeleteTheExtractedLibraryWhenLoadingFails()
    {
        // Every check passes; dlopen then refuses the fake library, and the private directory must go.
        final Path bundle = TestBundles.write(bundles, "signed.rbp", TestBundles.signedFake());
        final BundleLoader loader = trusting().build();
        assertRefused(() -> loader.load(bundle), "not a loadable shared library");
    }

    @Test
    void shouldNameAMissingBundleFile()
    {
        assertRefused(trusting().build(), bundles.resolve("absent.rbp"), "bundle not found or not a regular file");
    }

    @Test
    void shouldReadSchemasCheckedAgainstTheManifest() throws Exception
    {
        final byte[] schema = utf8("{\"type\": \"object\"}");
        final String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(schema));
        final String manifest = TestBundles.text("fake/manifest.json")
            .replace("\"public_key\"", "\"schemas\": {\"echo\": {\"path\": \"schema/echo.json\", \"format\": \"json-schema\", \"checksum\": \"%s\"}},\n  \"public_key\"");
        final Map<String, byte[]> entries = TestBundles.unsignedFake();
        entries.put(MANIFEST, utf8(manifest.formatted(sha)));
        entries.put("schema/echo.json", schema);
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).platform(PLATFORM).extractionDirectory(extractTo).build();
        try (Bundle bundle = loader.open(TestBundles.write(bundles, "schemas.rbp", entries)))
        {
            assertArrayEquals(schema, bundle.readSchema("echo"));
            assertRefused(() -> bundle.readSchema("other"), "has no schema other; it has: echo");
        }
        entries.put("schema/echo.json", utf8("{\"type\": \"array\"}"));
        try (Bundle bundle = loader.open(TestBundles.write(bundles, "altered-schema.rbp", entries)))
        {
            assertRefused(() -> bundle.readSchema("echo"), "checksum mismatch for schema schema/echo.json");
        }
    }

    private BundleLoader.Builder trusting()
    {
        return BundleLoader.builder().publicKey(TestBundles.publicKey("trusted")).platform(PLATFORM).extractionDirectory(extractTo);
    }

    /** Both ways in, loading and extracting, must refuse and leave nothing behind. */
    private void assertRefused(final BundleLoader loader, final Path bundle, final String expected)
    {
        assertRefused(() -> loader.load(bundle), expected);
        assertRefused(() -> loader.extract(bundle), expected);
    }

    private void assertRefused(final Executable action, final String expected)
    {
        TestBundles.assertRefused(action, expected, extractTo, bundles);
    }

    private void assertNothingLeftBehind()
    {
        TestBundles.assertNothingLeftBehind(extractTo, bundles);
    }

}
