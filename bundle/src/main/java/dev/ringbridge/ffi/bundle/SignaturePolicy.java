package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;

/**
 * Which signatures a bundle must carry and which key they must verify with: none (verification
 * off), a key the caller trusts, or, only on explicit request, the key the manifest names itself.
 *
 * <p>Order matters. With a trusted key the manifest's signature is verified before its JSON is
 * parsed, so no unsigned byte reaches the parser. With the embedded key the manifest must be parsed
 * first to find the key; that key then proves only that the bundle is consistent with itself.
 */
final class SignaturePolicy
{
    /** The manifest's entry name; its signature is this name plus {@link #SIGNATURE_SUFFIX}. */
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE_SUFFIX = ".minisig";

    private static final SignaturePolicy OFF = new SignaturePolicy(false, null);

    private final boolean enabled;
    /** Null when enabled: the manifest's {@code public_key} is trusted. */
    private final MinisignPublicKey trustedKey;

    /**
     * The manifest, and the verifier every signed entry must pass (null when verification is off).
     *
     * @param manifest the parsed manifest, its signature checked as the policy requires.
     * @param verifier verifies the other signed entries, or null when signatures are not checked.
     */
    record Checked(BundleManifest manifest, MinisignVerifier verifier)
    {
    }

    private SignaturePolicy(final boolean enabled, final MinisignPublicKey trustedKey)
    {
        this.enabled = enabled;
        this.trustedKey = trustedKey;
    }

    static SignaturePolicy off()
    {
        return OFF;
    }

    static SignaturePolicy trusting(final MinisignPublicKey key)
    {
        return new SignaturePolicy(true, key);
    }

    static SignaturePolicy trustingEmbeddedKey()
    {
        return new SignaturePolicy(true, null);
    }

    /**
     * Returns the manifest and the verifier for the library.
     *
     * @param archive       the bundle.
     * @param manifestBytes the bytes of its {@code manifest.json}.
     * @return the manifest and the verifier for the library.
     * @throws PluginLoadException when the manifest is invalid, unsigned or its signature fails.
     */
    Checked checkManifest(final BundleArchive archive, final byte[] manifestBytes) throws PluginLoadException
    {
        if (!enabled)
        {
            return new Checked(BundleManifest.parse(manifestBytes), null);
        }
        if (trustedKey != null)
        {
            final MinisignVerifier verifier = new MinisignVerifier(trustedKey);
            verify(archive, verifier, MANIFEST, manifestBytes);
            return new Checked(BundleManifest.parse(manifestBytes), verifier);
        }
        final BundleManifest manifest = BundleManifest.parse(manifestBytes);
        final MinisignVerifier verifier = new MinisignVerifier(embeddedKey(archive, manifest));
        verify(archive, verifier, MANIFEST, manifestBytes);
        return new Checked(manifest, verifier);
    }

    /**
     * Verifies {@code name + ".minisig"}; does nothing when {@code verifier} is null (verification off).
     *
     * @param archive  the bundle.
     * @param verifier the verifier from {@link #checkManifest}, or null.
     * @param name     the signed entry's name.
     * @param bytes    the signed entry's bytes, exactly as read (and about to be used).
     * @throws PluginLoadException when the signature is missing, malformed or does not verify.
     */
    static void verify(final BundleArchive archive, final MinisignVerifier verifier, final String name, final byte[] bytes)
        throws PluginLoadException
    {
        final MinisignVerifier.Verification verification = start(archive, verifier, name);
        if (verification != null)
        {
            verification.update(bytes, 0, bytes.length);
            verification.finish();
        }
    }

    /**
     * Reads and parses {@code name + ".minisig"} and checks its key id, before the entry is read.
     *
     * @param archive  the bundle.
     * @param verifier the verifier from {@link #checkManifest}, or null.
     * @param name     the signed entry's name.
     * @return the verification to feed the entry's bytes to; null when {@code verifier} is null (verification off).
     * @throws PluginLoadException when the signature is missing, malformed or made by another key.
     */
    static MinisignVerifier.Verification start(final BundleArchive archive, final MinisignVerifier verifier, final String name)
        throws PluginLoadException
    {
        if (verifier == null)
        {
            return null;
        }
        final String signatureName = name + SIGNATURE_SUFFIX;
        if (!archive.contains(signatureName))
        {
            throw new PluginLoadException("bundle " + archive.file() + " is not signed: " + UntrustedText.escape(signatureName)
                + " is missing and signature verification is on (BundleLoader.Builder.verifySignatures)");
        }
        final byte[] signature = archive.read(signatureName, MinisignSignature.MAX_BYTES);
        return verifier.start(MinisignSignature.parse(signature, UntrustedText.escape(signatureName)), name);
    }

    private static MinisignPublicKey embeddedKey(final BundleArchive archive, final BundleManifest manifest) throws PluginLoadException
    {
        final String key = manifest.publicKey().orElseThrow(() -> new PluginLoadException("bundle " + archive.file()
            + " names no public_key in its manifest, and trustEmbeddedKey() was chosen instead of a trusted publicKey"));
        try
        {
            return MinisignPublicKey.parse(key);
        }
        catch (final IllegalArgumentException e)
        {
            // The message quotes the key, escaped and cut: the key is the bundle's.
            throw new PluginLoadException("manifest field public_key of bundle " + archive.file() + " is refused: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString()
    {
        return !enabled ? "signatures not verified" : trustedKey == null ? "trusting the bundle's embedded key" : "trusting " + trustedKey;
    }
}
