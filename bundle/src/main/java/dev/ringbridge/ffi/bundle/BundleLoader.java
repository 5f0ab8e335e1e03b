package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.LogSink;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Loads plugins from {@code .rbp} bundles (plugin-abi.md section 5), checking them first.
 *
 * <pre>{@code
 * BundleLoader loader = BundleLoader.builder().publicKey("RWQ...").build();
 * try (NativePlugin plugin = loader.load(Path.of("sync-demo-0.1.0.rbp")))
 * {
 *     plugin.call("echo", "{\"message\":\"hi\"}");
 * }
 * }</pre>
 *
 * <p><b>What is checked, in order</b> (docs/bundles.md explains the trust model): the archive as a
 * whole (no unsafe or duplicate names, no links, a bound on every entry read); the signature of
 * {@code manifest.json} with the trusted key; the manifest's fields; the library's SHA-256 against
 * the manifest; the library's own signature. The library is streamed into a private directory while
 * it is hashed (memory per load does not grow with it), kept only when it passed, loaded, and deleted
 * when the plugin is closed. docs/bundles.md states the limits.
 *
 * <p>Signatures are verified by default and need a key: {@link Builder#publicKey(String)} with the key
 * you trust, or {@link Builder#trustEmbeddedKey()} to accept the key the bundle names itself, which
 * shows the bundle is intact but not who made it. {@code build()} refuses to guess.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class BundleLoader
{
    /** Default bound on the bytes of any one entry read from a bundle. */
    public static final long DEFAULT_MAX_ENTRY_BYTES = 256L << 20;
    /** A Java array holds at most about this many bytes; schemas are read into one (the library is streamed). */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    private static final String DEFAULT_VARIANT = "release";
    /** Default bound on the size of a bundle read from a stream. */
    public static final long DEFAULT_MAX_BUNDLE_BYTES = 1L << 30;
    private static final int COPY_CHUNK = 64 * 1024;
    private static final Pattern COPY_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final SignaturePolicy policy;
    private final String platform;
    private final String variant;
    private final long maxEntryBytes;
    private final long maxBundleBytes;
    private final Path extractionDirectory;

    private BundleLoader(final Builder builder, final SignaturePolicy policy)
    {
        this.policy = policy;
        this.platform = builder.platform;
        this.variant = builder.variant;
        this.maxEntryBytes = builder.maxEntryBytes;
        this.maxBundleBytes = builder.maxBundleBytes;
        this.extractionDirectory = builder.extractionDirectory;
    }

    /**
     * Returns a builder with signature verification on, this machine's platform and the {@code release} variant.
     *
     * @return a builder with signature verification on, this machine's platform and the {@code release} variant.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Opens a bundle: inspects the archive and checks the manifest and its signature.
     *
     * @param bundle the {@code .rbp} file.
     * @return the opened bundle; close it.
     * @throws PluginLoadException naming what is wrong with the bundle.
     */
    public Bundle open(final Path bundle) throws PluginLoadException
    {
        Objects.requireNonNull(bundle, "bundle path must not be null");
        if (!Files.isRegularFile(bundle))
        {
            throw new PluginLoadException("bundle not found or not a regular file: " + bundle.toAbsolutePath());
        }
        return Bundle.open(bundle, policy, this, null);
    }

    /**
     * Opens a bundle read from a stream (a download, a database, a resource): copies it, within
     * {@link Builder#maxBundleBytes(long)}, into a new private directory, then opens the copy as
     * {@link #open(Path)} opens a file, with the same checks, all of them before anything is extracted. The
     * copy is deleted when the bundle is closed, or at once when it fails to open.
     *
     * @param bundle the bundle's bytes; read to its end, not closed.
     * @param name   the bundle's name, for messages and the copy's file name, such as {@code sync-demo-0.1.0.rbp}.
     * @return the opened bundle; close it.
     * @throws PluginLoadException when the stream can't be read or is too large, or naming what is wrong with the
     *                             bundle; nothing is left on disk.
     */
    public Bundle open(final InputStream bundle, final String name) throws PluginLoadException
    {
        Objects.requireNonNull(bundle, "bundle stream must not be null");
        Objects.requireNonNull(name, "bundle name must not be null");
        final ExtractedLibrary copy = ExtractedLibrary.write(extractionDirectory, copyName(name),
            out -> copyBounded(bundle, name, out));
        return Bundle.open(copy.path(), policy, this, copy);
    }

    /**
     * Opens a bundle kept as a class path resource (in a jar, a Spring Boot fat jar, a directory), found through the
     * thread's context class loader, or this class's when there is none. See {@link #open(InputStream, String)}.
     *
     * @param resource the resource name, such as {@code plugins/sync-demo-0.1.0.rbp} (no leading slash).
     * @return the opened bundle; close it.
     * @throws PluginLoadException when there is no such resource, or naming what is wrong with the bundle.
     */
    public Bundle openResource(final String resource) throws PluginLoadException
    {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        return openResource(context != null ? context : BundleLoader.class.getClassLoader(), resource);
    }

    /**
     * Opens a bundle kept as a resource of the given class loader. See {@link #open(InputStream, String)}.
     *
     * @param classLoader where to look for the resource.
     * @param resource    the resource name, such as {@code plugins/sync-demo-0.1.0.rbp} (no leading slash).
     * @return the opened bundle; close it.
     * @throws PluginLoadException when there is no such resource, or naming what is wrong with the bundle.
     */
    public Bundle openResource(final ClassLoader classLoader, final String resource) throws PluginLoadException
    {
        Objects.requireNonNull(classLoader, "classLoader must not be null");
        Objects.requireNonNull(resource, "resource must not be null");
        try (InputStream in = classLoader.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new PluginLoadException("no bundle resource " + resource + " on the class path of " + classLoader
                    + (resource.startsWith("/") ? " (resource names take no leading slash)" : ""));
            }
            return open(in, resource);
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot close bundle resource " + resource + ": " + e, e);
        }
    }

    /**
     * Loads the plugin of a bundle kept as a class path resource, with the default configuration.
     *
     * @param resource the resource name, such as {@code plugins/sync-demo-0.1.0.rbp}.
     * @return the running plugin; closing it deletes the extracted library.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     * @see #openResource(String)
     */
    public NativePlugin loadResource(final String resource) throws PluginLoadException
    {
        return loadResource(resource, PluginConfig.defaults());
    }

    /**
     * Loads the plugin of a bundle kept as a class path resource.
     *
     * @param resource the resource name, such as {@code plugins/sync-demo-0.1.0.rbp}.
     * @param config   the configuration passed to {@code plugin_init}.
     * @return the running plugin; closing it deletes the extracted library.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     * @see #openResource(String)
     */
    public NativePlugin loadResource(final String resource, final PluginConfig config) throws PluginLoadException
    {
        try (Bundle opened = openResource(resource))
        {
            return opened.load(config, LogSink.systemLogger());
        }
    }

    /**
     * Loads the plugin of this machine's platform (or the one chosen) with the default configuration.
     *
     * @param bundle the {@code .rbp} file.
     * @return the running plugin; closing it deletes the extracted library.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     */
    public NativePlugin load(final Path bundle) throws PluginLoadException
    {
        return load(bundle, PluginConfig.defaults(), LogSink.systemLogger());
    }

    /**
     * Returns the running plugin; closing it deletes the extracted library.
     *
     * @param bundle the {@code .rbp} file.
     * @param config the configuration passed to {@code plugin_init}.
     * @return the running plugin; closing it deletes the extracted library.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     */
    public NativePlugin load(final Path bundle, final PluginConfig config) throws PluginLoadException
    {
        return load(bundle, config, LogSink.systemLogger());
    }

    /**
     * Opens the bundle, checks it, extracts the library into a private directory and loads it.
     *
     * @param bundle the {@code .rbp} file.
     * @param config the configuration passed to {@code plugin_init}.
     * @param sink   where the plugin's log messages go.
     * @return the running plugin; closing it deletes the extracted library.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     */
    public NativePlugin load(final Path bundle, final PluginConfig config, final LogSink sink) throws PluginLoadException
    {
        try (Bundle opened = open(bundle))
        {
            return opened.load(config, sink);
        }
    }

    /**
     * Reads and checks a bundle's manifest (including its signature, when verified) without extracting anything.
     *
     * @param bundle the {@code .rbp} file.
     * @return the manifest, listing platforms and variants.
     * @throws PluginLoadException naming what is wrong with the bundle.
     */
    public BundleManifest readManifest(final Path bundle) throws PluginLoadException
    {
        try (Bundle opened = open(bundle))
        {
            return opened.manifest();
        }
    }

    /**
     * Extracts and checks the library of this machine's platform (or the one chosen) without loading it.
     *
     * @param bundle the {@code .rbp} file.
     * @return the library in its private directory; close it to delete both.
     * @throws PluginLoadException naming what failed; nothing is left on disk.
     */
    public ExtractedLibrary extract(final Path bundle) throws PluginLoadException
    {
        try (Bundle opened = open(bundle))
        {
            return opened.extractLibrary();
        }
    }

    @Override
    public String toString()
    {
        return "BundleLoader[" + policy + ", " + platform + "/" + variant + ", max entry " + maxEntryBytes + " bytes, max bundle "
            + maxBundleBytes + " bytes, into " + extractionDirectory + "]";
    }

    /** The last segment of the name, if it is a plain file name; else a fixed one. */
    private static String copyName(final String name)
    {
        final String last = name.substring(name.lastIndexOf('/') + 1);
        return COPY_NAME.matcher(last).matches() ? last : "bundle.rbp";
    }

    private void copyBounded(final InputStream in, final String name, final OutputStream out) throws PluginLoadException
    {
        final byte[] chunk = new byte[COPY_CHUNK];
        long total = 0;
        try
        {
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk))
            {
                total += read;
                if (total > maxBundleBytes)
                {
                    throw new PluginLoadException("bundle " + UntrustedText.escape(name) + " is refused: it holds more than "
                        + maxBundleBytes + " bytes (maxBundleBytes)");
                }
                out.write(chunk, 0, read);
            }
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot read bundle " + UntrustedText.escape(name) + ": " + e, e);
        }
    }

    String platform()
    {
        return platform;
    }

    String variant()
    {
        return variant;
    }

    long maxEntryBytes()
    {
        return maxEntryBytes;
    }

    Path extractionDirectory()
    {
        return extractionDirectory;
    }

    /**
     * Builds a {@link BundleLoader}. Not thread-safe.
     */
    public static final class Builder
    {
        private boolean verifySignatures = true;
        private MinisignPublicKey publicKey;
        private boolean trustEmbeddedKey;
        private String platform = PlatformKey.current();
        private String variant = DEFAULT_VARIANT;
        private long maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES;
        private long maxBundleBytes = DEFAULT_MAX_BUNDLE_BYTES;
        private Path extractionDirectory = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder()
        {
        }

        /**
         * Returns this builder.
         *
         * @param verifySignatures whether bundles must carry valid minisign signatures (default true).
         * With false, checksums and archive checks still apply, but anyone who
         * can change the bundle can change what it loads.
         * @return this builder.
         */
        public Builder verifySignatures(final boolean verifySignatures)
        {
            this.verifySignatures = verifySignatures;
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param publicKey the minisign public key to trust: its base64 line ({@code RW...}) or the whole
         * text of its {@code .pub} file.
         * @return this builder.
         * @throws IllegalArgumentException when the text is not a minisign Ed25519 public key.
         */
        public Builder publicKey(final String publicKey)
        {
            this.publicKey = MinisignPublicKey.parse(publicKey);
            return this;
        }

        /**
         * Trusts the key a bundle's manifest names in {@code public_key}. Such a key is chosen by
         * whoever made the bundle, so verifying with it shows the bundle was not altered after
         * signing, not that it comes from anyone in particular. Prefer {@link #publicKey(String)}.
         *
         * @return this builder.
         */
        public Builder trustEmbeddedKey()
        {
            this.trustEmbeddedKey = true;
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param platform the platform key whose library to use (default: this machine's), one of {@link PlatformKey#KNOWN}.
         * @return this builder.
         */
        public Builder platform(final String platform)
        {
            if (!PlatformKey.isKnown(Objects.requireNonNull(platform, "platform")))
            {
                throw new IllegalArgumentException("platform must be one of " + PlatformKey.KNOWN + ", was " + platform);
            }
            this.platform = platform;
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param variant the variant whose library to use (default {@code release}).
         * @return this builder.
         */
        public Builder variant(final String variant)
        {
            this.variant = Objects.requireNonNull(variant, "variant");
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param maxEntryBytes the most bytes any one entry may inflate to (default
         * {@value BundleLoader#DEFAULT_MAX_ENTRY_BYTES}); reading stops and the bundle is refused
         * at the first byte beyond it, or beyond the size the archive declares for the entry.
         * @return this builder.
         */
        public Builder maxEntryBytes(final long maxEntryBytes)
        {
            if (maxEntryBytes < 1 || maxEntryBytes > MAX_ARRAY_BYTES)
            {
                throw new IllegalArgumentException("maxEntryBytes must be between 1 and " + MAX_ARRAY_BYTES + ", was " + maxEntryBytes);
            }
            this.maxEntryBytes = maxEntryBytes;
            return this;
        }

        /**
         * Bounds the bytes read from a stream or resource ({@link BundleLoader#open(InputStream, String)}): reading
         * stops and the bundle is refused at the first byte beyond it.
         *
         * @param maxBundleBytes the most bytes a bundle read from a stream may hold (default
         *                       {@value BundleLoader#DEFAULT_MAX_BUNDLE_BYTES}).
         * @return this builder.
         */
        public Builder maxBundleBytes(final long maxBundleBytes)
        {
            if (maxBundleBytes < 1)
            {
                throw new IllegalArgumentException("maxBundleBytes must be positive, was " + maxBundleBytes);
            }
            this.maxBundleBytes = maxBundleBytes;
            return this;
        }

        /**
         * Returns this builder.
         *
         * @param extractionDirectory where each load creates its private directory (default {@code java.io.tmpdir}).
         * @return this builder.
         */
        public Builder extractionDirectory(final Path extractionDirectory)
        {
            this.extractionDirectory = Objects.requireNonNull(extractionDirectory, "extractionDirectory");
            return this;
        }

        /**
         * Returns the loader.
         *
         * @return the loader.
         * @throws IllegalStateException when signatures are to be verified but no key was chosen, or the
         * key settings contradict each other.
         */
        public BundleLoader build()
        {
            if (!verifySignatures)
            {
                if (publicKey != null || trustEmbeddedKey)
                {
                    throw new IllegalStateException("verifySignatures(false) contradicts "
                        + (publicKey != null ? "publicKey(...)" : "trustEmbeddedKey()") + ": nothing would be verified");
                }
                return new BundleLoader(this, SignaturePolicy.off());
            }
            if (publicKey != null && trustEmbeddedKey)
            {
                throw new IllegalStateException("publicKey(...) and trustEmbeddedKey() exclude each other: choose which key to trust");
            }
            if (publicKey != null)
            {
                return new BundleLoader(this, SignaturePolicy.trusting(publicKey));
            }
            if (trustEmbeddedKey)
            {
                return new BundleLoader(this, SignaturePolicy.trustingEmbeddedKey());
            }
            throw new IllegalStateException("signature verification is on but no key to verify with was given: call"
                + " publicKey(...) with the minisign key you trust, or trustEmbeddedKey() to accept the key each bundle"
                + " names for itself (this proves the bundle is intact, not who made it), or verifySignatures(false)");
        }
    }
}
