package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;
import org.bouncycastle.crypto.digests.Blake2bDigest;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;

/**
 * Verifies minisign signatures against one trusted public key, the way {@code minisign -V} does:
 * the key id must match, the file signature must verify (over the BLAKE2b-512 hash for {@code ED},
 * over the bytes for {@code Ed}), and so must the global signature over the trusted comment.
 *
 * <p>The reference Java host skips the global signature. Checking it costs one more Ed25519
 * verification and means a trusted comment shown to anyone was really written by the key holder.
 * Immutable and safe to share between threads.
 */
final class MinisignVerifier
{
    /** The largest file whose legacy ({@code Ed}) signature is verified; it must be held in memory for that. */
    static final int LEGACY_MAX_BYTES = 32 << 20;

    private static final int BLAKE2B_512_BYTES = 64;

    private final MinisignPublicKey trustedKey;

    /**
     * @param trustedKey the only key whose signatures are accepted.
     */
    MinisignVerifier(final MinisignPublicKey trustedKey)
    {
        this.trustedKey = Objects.requireNonNull(trustedKey, "trustedKey");
    }

    /**
     * @param data      the signed file's bytes.
     * @param signature its parsed {@code .minisig}.
     * @param name      the signed file's name, for messages.
     * @throws PluginLoadException saying which check failed.
     */
    void verify(final byte[] data, final MinisignSignature signature, final String name) throws PluginLoadException
    {
        final Verification verification = start(signature, name);
        verification.update(data, 0, data.length);
        verification.finish();
    }

    /**
     * Starts verifying a file that is read in chunks: the key id is checked now, the signatures by
     * {@link Verification#finish()} once every byte went through {@link Verification#update}.
     *
     * @param signature the file's parsed {@code .minisig}.
     * @param name      the signed file's name, for messages.
     * @return the verification to feed the file's bytes to.
     * @throws PluginLoadException when the signature was made by another key.
     */
    Verification start(final MinisignSignature signature, final String name) throws PluginLoadException
    {
        if (!trustedKey.hasKeyId(signature.keyId()))
        {
            throw new PluginLoadException("signature of " + UntrustedText.escape(name) + " was made by key id "
                + MinisignPublicKey.formatKeyId(signature.keyId()) + ", not by the trusted key (id " + trustedKey.keyId() + ")");
        }
        return new Verification(signature, name);
    }

    /**
     * One signature check, fed with the signed file as it streams past. A prehashed ({@code ED})
     * signature needs only the running BLAKE2b-512 state. A legacy ({@code Ed}) one signs the file
     * itself, and Ed25519 can only verify it whole, so its bytes are kept in memory, up to
     * {@link #LEGACY_MAX_BYTES}; a larger file signed that way is refused. Used by one thread.
     */
    final class Verification
    {
        private final MinisignSignature signature;
        private final String name;
        private final Blake2bDigest prehash;
        private final Signature legacy;
        private long length;

        private Verification(final MinisignSignature signature, final String name) throws PluginLoadException
        {
            this.signature = signature;
            this.name = name;
            final boolean prehashed = signature.algorithm() == MinisignSignature.Algorithm.PREHASHED;
            this.prehash = prehashed ? new Blake2bDigest(BLAKE2B_512_BYTES * 8) : null;
            this.legacy = prehashed ? null : ed25519Verifier();
        }

        /**
         * @param bytes  holds the file's next bytes in {@code [offset, offset + count)}.
         * @param offset where they start.
         * @param count  how many.
         */
        void update(final byte[] bytes, final int offset, final int count)
        {
            length += count;
            if (prehash != null)
            {
                prehash.update(bytes, offset, count);
            }
            else if (length <= LEGACY_MAX_BYTES)
            {
                try
                {
                    legacy.update(bytes, offset, count);
                }
                catch (final SignatureException e)
                {
                    throw new IllegalStateException("an initialised Ed25519 verifier refused bytes", e);
                }
            }
        }

        /**
         * @throws PluginLoadException saying which check failed.
         */
        void finish() throws PluginLoadException
        {
            final String shown = UntrustedText.escape(name);
            final boolean verified;
            if (prehash != null)
            {
                final byte[] hash = new byte[BLAKE2B_512_BYTES];
                prehash.doFinal(hash, 0);
                verified = ed25519(hash, signature.signature());
            }
            else if (length > LEGACY_MAX_BYTES)
            {
                throw new PluginLoadException("signature of " + shown + " is in minisign's legacy form ('Ed'), which is verified"
                    + " in memory, and the file has " + length + " bytes, more than the " + LEGACY_MAX_BYTES + " allowed for it:"
                    + " sign it in the prehashed form ('ED', the default of minisign 0.11 and later, and of rustbridge)");
            }
            else
            {
                verified = verify(legacy, signature.signature());
            }
            if (!verified)
            {
                throw new PluginLoadException("signature of " + shown + " does not verify with the trusted key (id "
                    + trustedKey.keyId() + "): " + shown + " was altered after signing, or signed by another key with the same id");
            }
            if (!ed25519(signature.globalMessage(), signature.globalSignature()))
            {
                throw new PluginLoadException("global signature of " + shown + "'s signature does not verify with the trusted key (id "
                    + trustedKey.keyId() + "): the trusted comment '" + UntrustedText.escape(signature.trustedComment())
                    + "' or its signature was altered");
            }
        }
    }

    private boolean ed25519(final byte[] message, final byte[] signature) throws PluginLoadException
    {
        final Signature ed25519 = ed25519Verifier();
        try
        {
            ed25519.update(message);
        }
        catch (final SignatureException e)
        {
            throw new IllegalStateException("an initialised Ed25519 verifier refused bytes", e);
        }
        return verify(ed25519, signature);
    }

    private Signature ed25519Verifier() throws PluginLoadException
    {
        try
        {
            final Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(trustedKey.key());
            return ed25519;
        }
        catch (final GeneralSecurityException e)
        {
            throw new PluginLoadException("the trusted key (id " + trustedKey.keyId() + ") cannot verify Ed25519 signatures: "
                + UntrustedText.escape(e.getMessage()), e);
        }
    }

    private static boolean verify(final Signature ed25519, final byte[] signature)
    {
        try
        {
            return ed25519.verify(signature);
        }
        catch (final SignatureException e)
        {
            // A signature the provider cannot even decode is as wrong as one that does not verify.
            return false;
        }
    }

    static byte[] blake2b512(final byte[] data)
    {
        final Blake2bDigest digest = new Blake2bDigest(BLAKE2B_512_BYTES * 8);
        digest.update(data, 0, data.length);
        final byte[] hash = new byte[BLAKE2B_512_BYTES];
        digest.doFinal(hash, 0);
        return hash;
    }
}
