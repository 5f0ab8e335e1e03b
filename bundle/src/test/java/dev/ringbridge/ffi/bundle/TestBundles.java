package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Builds bundles for tests at run time, from the committed fixtures in {@code src/test/resources/bundle}
 * (see make-fixtures.sh there), and crafts the hostile archives java.util.zip refuses to write.
 */
final class TestBundles
{
    static final String PLATFORM = "linux-x86_64";
    static final String FAKE_LIBRARY = "lib/linux-x86_64/release/libfake.so";
    static final String SAMPLE_LIBRARY = "lib/linux-x86_64/release/libsync_demo.so";
    static final String MANIFEST = "manifest.json";
    static final String SIG = ".minisig";

    private static final int CENTRAL_RECORD = 0x02014b50;

    private TestBundles()
    {
    }

    /** @return the base64 line of a test public key: {@code trusted} or {@code other}. */
    static String publicKey(final String name)
    {
        return text("keys/" + name + ".pub").lines().skip(1).findFirst().orElseThrow();
    }

    /**
     * @return a key with the trusted key's id but the other key's Ed25519 key: signatures by the
     *         trusted key pass the key id check and must then fail the signature check.
     */
    static String keyWithTrustedIdAndOtherKey()
    {
        final byte[] trusted = Base64.getDecoder().decode(publicKey("trusted"));
        final byte[] other = Base64.getDecoder().decode(publicKey("other"));
        System.arraycopy(other, 10, trusted, 10, 32);
        return Base64.getEncoder().encodeToString(trusted);
    }

    /** @return the {@code .minisig} text with one bit of its global signature (line 4) flipped. */
    static String withCorruptedGlobalSignature(final String minisig)
    {
        final String[] lines = minisig.split("\n");
        final byte[] global = Base64.getDecoder().decode(lines[3]);
        global[10] ^= 0x40;
        lines[3] = Base64.getEncoder().encodeToString(global);
        return String.join("\n", lines) + "\n";
    }

    /**
     * @return the entries of a bundle holding the fake library, signed with the trusted test key
     *         (prehashed). Tests replace or remove entries, then {@link #write} it.
     */
    static Map<String, byte[]> signedFake()
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(MANIFEST, resource("fake/manifest.json"));
        entries.put(MANIFEST + SIG, resource("fake/manifest.json.minisig"));
        entries.put(FAKE_LIBRARY, resource("fake/libfake.so"));
        entries.put(FAKE_LIBRARY + SIG, resource("fake/libfake.so.minisig"));
        return entries;
    }

    /**
     * @return the fake library's signed bundle with its manifest replaced by {@code manifest}, signed
     *         by {@link TestSigner} with the trusted key: a genuinely signed manifest of the test's choosing.
     */
    static Map<String, byte[]> signedFakeWithManifest(final String manifest)
    {
        final Map<String, byte[]> entries = signedFake();
        final byte[] bytes = utf8(manifest);
        entries.put(MANIFEST, bytes);
        entries.put(MANIFEST + SIG, TestSigner.of("trusted").sign(bytes, "test", utf8("test manifest")));
        return entries;
    }

    /**
     * Writes a bundle whose entry {@code name} holds {@code zeros} zero bytes after the small
     * {@code entries}, streaming: neither the test nor the archive holds the large entry in memory.
     */
    static Path writeWithZeros(final Path file, final Map<String, byte[]> entries, final String name, final long zeros)
    {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file)))
        {
            for (final Map.Entry<String, byte[]> entry : entries.entrySet())
            {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry(name));
            final byte[] chunk = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= chunk.length)
            {
                zip.write(chunk, 0, (int)Math.min(left, chunk.length));
            }
            zip.closeEntry();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The sample bundle signed with the trusted test key: committed manifest and signatures, and the
     * library this checkout built. Fails, saying what to run, when the build no longer produces the
     * bytes the committed signature covers.
     */
    static Map<String, byte[]> signedSample()
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
    static String librarySha256(final byte[] manifest)
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

    static String sha256(final byte[] bytes)
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

    static byte[] read(final Path file)
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

    /** @return the fake library's bundle without any signature. */
    static Map<String, byte[]> unsignedFake()
    {
        final Map<String, byte[]> entries = signedFake();
        entries.remove(MANIFEST + SIG);
        entries.remove(FAKE_LIBRARY + SIG);
        return entries;
    }

    /** @return a minimal valid manifest naming {@code library} with the given hex checksum. */
    static String manifest(final String library, final String sha256)
    {
        return """
            {"bundle_version": "1.0",
             "plugin": {"name": "test", "version": "1.0.0"},
             "platforms": {"linux-x86_64": {"variants": {"release": {"library": "%s", "checksum": "sha256:%s"}}}}}
            """.formatted(library, sha256);
    }

    static Path write(final Path dir, final String name, final Map<String, byte[]> entries)
    {
        return write(dir.resolve(name), zip(entries));
    }

    static Path write(final Path file, final byte[] zip)
    {
        try
        {
            return Files.write(file, zip);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a ZIP with the entries in order, deflated, as the bundle tools write them. */
    static byte[] zip(final Map<String, byte[]> entries)
    {
        return zip(entries, Deflater.DEFAULT_COMPRESSION);
    }

    /** @return a ZIP with the entries in order, deflated at the given level ({@code Deflater.BEST_SPEED} for fuzzing). */
    static byte[] zip(final Map<String, byte[]> entries, final int level)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes))
        {
            zip.setLevel(level);
            for (final Map.Entry<String, byte[]> entry : entries.entrySet())
            {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Renames every occurrence of an entry name (local header and central directory) to another of
     * the same length: the way to get two entries with one name, which ZipOutputStream refuses.
     */
    static byte[] renameEntry(final byte[] zip, final String from, final String to)
    {
        final byte[] find = from.getBytes(StandardCharsets.UTF_8);
        final byte[] replace = to.getBytes(StandardCharsets.UTF_8);
        if (find.length != replace.length)
        {
            throw new IllegalArgumentException("names must have the same length");
        }
        final byte[] out = zip.clone();
        int found = 0;
        for (int i = 0; i + find.length <= out.length; i++)
        {
            if (Arrays.equals(out, i, i + find.length, find, 0, find.length))
            {
                System.arraycopy(replace, 0, out, i, replace.length);
                found++;
            }
        }
        if (found < 2)
        {
            throw new IllegalArgumentException(from + " not found in both headers");
        }
        return out;
    }

    /** Marks an entry as made on Unix with the given mode, such as {@code 0120777} for a symbolic link. */
    static byte[] withUnixMode(final byte[] zip, final String name, final int mode)
    {
        final byte[] out = zip.clone();
        final ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        final int record = centralRecord(buffer, name);
        buffer.putShort(record + 4, (short)(3 << 8 | 20));
        buffer.putInt(record + 38, mode << 16);
        return out;
    }

    /** Overwrites the uncompressed size the central directory declares for an entry: a lying zip bomb. */
    static byte[] withDeclaredSize(final byte[] zip, final String name, final int size)
    {
        final byte[] out = zip.clone();
        final ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(centralRecord(buffer, name) + 24, size);
        return out;
    }

    /**
     * Rewrites the end of a small archive the way ZIP64 writers do: a ZIP64 end record and locator
     * carry the counts and offsets, and the classic end record holds only the "see ZIP64" markers.
     */
    static byte[] asZip64(final byte[] zip)
    {
        final ByteBuffer in = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        final int end = zip.length - 22;
        if (in.getInt(end) != 0x06054b50)
        {
            throw new IllegalArgumentException("expects an archive without a comment");
        }
        final ByteBuffer out = ByteBuffer.allocate(zip.length + 56 + 20).order(ByteOrder.LITTLE_ENDIAN);
        out.put(zip, 0, end);
        out.putInt(0x06064b50).putLong(44).putShort((short)45).putShort((short)45).putInt(0).putInt(0)
            .putLong(in.getShort(end + 8)).putLong(in.getShort(end + 10))
            .putLong(Integer.toUnsignedLong(in.getInt(end + 12))).putLong(Integer.toUnsignedLong(in.getInt(end + 16)));
        out.putInt(0x07064b50).putInt(0).putLong(end).putInt(1);
        out.putInt(0x06054b50).putShort((short)0).putShort((short)0).putShort((short)-1).putShort((short)-1)
            .putInt(-1).putInt(-1).putShort((short)0);
        return out.array();
    }

    static byte[] resource(final String path)
    {
        try (InputStream in = TestBundles.class.getResourceAsStream("/bundle/" + path))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing test resource bundle/" + path + " (run make-fixtures.sh)");
            }
            return in.readAllBytes();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static String text(final String path)
    {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int centralRecord(final ByteBuffer zip, final String name)
    {
        final byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 <= zip.limit(); i++)
        {
            if (zip.getInt(i) == CENTRAL_RECORD && Short.toUnsignedInt(zip.getShort(i + 28)) == wanted.length
                && Arrays.equals(zip.array(), i + 46, i + 46 + wanted.length, wanted, 0, wanted.length))
            {
                return i;
            }
        }
        throw new IllegalArgumentException("no central directory record for " + name);
    }

    /**
     * A loader refusal as the tests expect it: a {@link PluginLoadException} naming the problem, and nothing left
     * behind, neither in the extraction directory nor beside the bundles.
     */
    static void assertRefused(final Executable action, final String expected,
        final Path extractTo, final Path bundles)
    {
        final PluginLoadException e =
            assertThrows(PluginLoadException.class, action);
        assertTrue(e.getMessage().contains(expected),
            () -> "expected '" + expected + "' in: " + e.getMessage());
        assertNothingLeftBehind(extractTo, bundles);
    }

    static void assertNothingLeftBehind(final Path extractTo, final Path bundles)
    {
        assertEquals(List.of(), list(extractTo), "extraction directory must be empty");
        assertTrue(list(bundles).stream().allMatch(name -> name.endsWith(".rbp")),
            () -> "only bundles next to bundles: " + list(bundles));
    }

    /** The file names in a directory, sorted. */
    static List<String> list(final Path directory)
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
