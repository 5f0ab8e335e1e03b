package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.LogSink;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An opened {@code .rbp} bundle whose archive passed inspection and whose manifest passed the
 * loader's signature policy. Everything read from it afterwards is checked again: the library and
 * schemas against the manifest's SHA-256, the library also against its own signature.
 *
 * <p>Get one from {@link BundleLoader#open(Path)} and close it when done; a plugin loaded from it
 * stays loaded after the bundle is closed. Safe to use from several threads.
 */
public final class Bundle implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(Bundle.class.getName());
    /** Manifests are a few kilobytes; the bound keeps a hostile one from filling the heap. */
    private static final long MAX_MANIFEST_BYTES = 1L << 20;

    private final BundleArchive archive;
    private final BundleManifest manifest;
    private final MinisignVerifier verifier;
    private final BundleLoader loader;
    /** The private copy of a bundle read from a stream, deleted on close; null for a bundle opened from its file. */
    private final ExtractedLibrary copy;

    private Bundle(final BundleArchive archive, final SignaturePolicy.Checked checked, final BundleLoader loader,
        final ExtractedLibrary copy)
    {
        this.archive = archive;
        this.manifest = checked.manifest();
        this.verifier = checked.verifier();
        this.loader = loader;
        this.copy = copy;
    }

    /**
     * Opens a bundle file: inspects the archive, reads the manifest and checks it under the policy.
     *
     * @param file   the bundle.
     * @param policy which signatures to require.
     * @param loader the loader's settings.
     * @param copy   the private copy {@code file} lives in, deleted when the bundle is closed or fails to open;
     *               null when {@code file} is the caller's.
     * @return the opened bundle.
     * @throws PluginLoadException naming what is wrong with the bundle.
     */
    static Bundle open(final Path file, final SignaturePolicy policy, final BundleLoader loader, final ExtractedLibrary copy)
        throws PluginLoadException
    {
        BundleArchive archive = null;
        try
        {
            archive = BundleArchive.open(file);
            final byte[] manifestBytes = archive.read(SignaturePolicy.MANIFEST, Math.min(MAX_MANIFEST_BYTES, loader.maxEntryBytes()));
            return new Bundle(archive, policy.checkManifest(archive, manifestBytes), loader, copy);
        }
        catch (final PluginLoadException | RuntimeException | Error e)
        {
            if (archive != null)
            {
                archive.close();
            }
            if (copy != null)
            {
                copy.deleteAfter(e);
            }
            throw e;
        }
    }

    /**
     * Returns the bundle file: for a bundle read from a stream or a resource, its private copy.
     *
     * @return the bundle file.
     */
    public Path path()
    {
        return archive.file();
    }

    /**
     * Returns the checked manifest: plugin identity, platforms and variants, schemas.
     *
     * @return the checked manifest: plugin identity, platforms and variants, schemas.
     */
    public BundleManifest manifest()
    {
        return manifest;
    }

    /**
     * Loads the library of the loader's platform and variant, with the default configuration.
     *
     * @return the running plugin; closing it deletes the extracted library.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     * @see #load(PluginConfig, LogSink)
     */
    public NativePlugin load() throws PluginLoadException
    {
        return load(PluginConfig.defaults(), LogSink.systemLogger());
    }

    /**
     * Loads the library of the loader's platform and variant, logging to {@link System.Logger}.
     *
     * @param config the configuration passed to {@code plugin_init}.
     * @return the running plugin; closing it deletes the extracted library.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     * @see #load(PluginConfig, LogSink)
     */
    public NativePlugin load(final PluginConfig config) throws PluginLoadException
    {
        return load(config, LogSink.systemLogger());
    }

    /**
     * Extracts the library of the loader's platform and variant into a private directory, checks it,
     * and loads it. Closing the plugin shuts it down and deletes the directory. The instance runs in a mapped
     * copy of the library no other live instance uses; once closed, that copy serves the next load of the same
     * library content, so loading and closing a bundle again and again maps no more copies (see
     * {@link NativePlugin}).
     *
     * @param config the configuration passed to {@code plugin_init}.
     * @param sink   where the plugin's log messages go.
     * @return the running plugin.
     * @throws PluginLoadException naming what failed; the private directory is already deleted then.
     */
    public NativePlugin load(final PluginConfig config, final LogSink sink) throws PluginLoadException
    {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(sink, "log sink must not be null");
        final ExtractedLibrary extracted = extractLibrary();
        try
        {
            return NativePlugin.load(extracted.path(), config, sink, () -> deleteAfterClose(extracted));
        }
        catch (final PluginLoadException | RuntimeException | Error e)
        {
            extracted.deleteAfter(e);
            throw e;
        }
    }

    /**
     * Extracts the library of the loader's platform and variant without loading it.
     *
     * @return the library in its private directory; close it to delete both.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     */
    public ExtractedLibrary extractLibrary() throws PluginLoadException
    {
        return extractLibrary(loader.platform(), loader.variant());
    }

    /**
     * Extracts the library of the given platform and variant without loading it: streams it from the
     * archive into a new private directory (bounded, in fixed-size chunks, so memory does not grow with
     * the library), hashing it on the way; then checks its SHA-256 against the manifest and, when
     * signatures are verified, its {@code .minisig}, whose key id is checked before the first byte is read.
     * The file is deleted unless every check passes.
     *
     * @param platform a platform key from {@link BundleManifest#platforms()}.
     * @param variant  a variant name from {@link BundleManifest#variants(String)}.
     * @return the library in its private directory; close it to delete both.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     */
    public ExtractedLibrary extractLibrary(final String platform, final String variant) throws PluginLoadException
    {
        final BundleManifest.Variant selected = manifest.variant(platform, variant);
        final String entry = selected.library();
        requireEntry(entry, "library");
        final MinisignVerifier.Verification signature = SignaturePolicy.start(archive, verifier, entry);
        return ExtractedLibrary.write(loader.extractionDirectory(), ArchivePath.fileName(entry), out ->
        {
            final MessageDigest sha256 = sha256();
            archive.copy(entry, loader.maxEntryBytes(), (chunk, length) ->
            {
                out.write(chunk, 0, length);
                sha256.update(chunk, 0, length);
                if (signature != null)
                {
                    signature.update(chunk, 0, length);
                }
            });
            checkSha256(entry, "library", selected.sha256(), sha256.digest());
            if (signature != null)
            {
                signature.finish();
            }
        });
    }

    /**
     * Reads a schema into memory. Schemas carry no signature of their own: when signatures are
     * verified, the signed manifest's checksum is what vouches for them.
     *
     * @param name a key of {@link BundleManifest#schemas()}.
     * @return the schema file's bytes, checked against the manifest's SHA-256.
     * @throws PluginLoadException when there is no such schema, or its entry is missing, too large or altered.
     */
    public byte[] readSchema(final String name) throws PluginLoadException
    {
        final BundleManifest.Schema schema = manifest.schemas().get(name);
        if (schema == null)
        {
            throw new PluginLoadException("bundle " + archive.file() + " has no schema " + UntrustedText.escape(name) + "; it has: "
                + UntrustedText.escape(String.join(", ", manifest.schemas().keySet())));
        }
        return readChecked(schema.path(), schema.sha256(), "schema");
    }

    /**
     * Closes the archive, and deletes the private copy of a bundle read from a stream. Plugins and extracted
     * libraries obtained from this bundle are not affected.
     */
    @Override
    public void close()
    {
        archive.close();
        if (copy != null)
        {
            deleteAfterClose(copy);
        }
    }

    @Override
    public String toString()
    {
        return "Bundle[" + archive.file() + ", " + manifest + "]";
    }

    private byte[] readChecked(final String entry, final String expectedSha256, final String what) throws PluginLoadException
    {
        requireEntry(entry, what);
        final byte[] bytes = archive.read(entry, loader.maxEntryBytes());
        checkSha256(entry, what, expectedSha256, sha256().digest(bytes));
        return bytes;
    }

    private void requireEntry(final String entry, final String what) throws PluginLoadException
    {
        if (!archive.contains(entry))
        {
            throw new PluginLoadException("bundle " + archive.file() + " lacks the " + what + " its manifest names: "
                + UntrustedText.escape(entry) + " is not in the archive");
        }
    }

    private void checkSha256(final String entry, final String what, final String expected, final byte[] digest)
        throws PluginLoadException
    {
        final String actual = HexFormat.of().formatHex(digest);
        if (!actual.equals(expected))
        {
            throw new PluginLoadException("checksum mismatch for " + what + " " + UntrustedText.escape(entry) + " in bundle "
                + archive.file() + ": the manifest says sha256:" + expected + " but the entry is sha256:" + actual);
        }
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /** Runs on the thread closing the plugin: a failed delete is reported, not thrown out of close(). */
    private static void deleteAfterClose(final ExtractedLibrary extracted)
    {
        try
        {
            extracted.close();
        }
        catch (final UncheckedIOException e)
        {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + extracted.path() + " and its private directory", e);
        }
    }
}
