package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.LogSink;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginLoadException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

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

    private final SignaturePolicy policy;
    private final String platform;
    private final String variant;
    private final long maxEntryBytes;
    private final Path extractionDirectory;

    private BundleLoader(final Builder builder, final SignaturePolicy policy)
    {
        this.policy = policy;
        this.platform = builder.platform;
        this.variant = builder.variant;
        this.maxEntryBytes = builder.maxEntryBytes;
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
        return Bundle.open(bundle, policy, this);
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
        return "BundleLoader[" + policy + ", " + platform + "/" + variant + ", max entry " + maxEntryBytes + " bytes, into "
            + extractionDirectory + "]";
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
