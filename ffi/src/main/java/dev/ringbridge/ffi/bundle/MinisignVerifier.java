package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import org.bouncycastle.crypto.digests.Blake2bDigest;

import java.security.GeneralSecurityException;
import java.security.Signature;
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
        if (!trustedKey.hasKeyId(signature.keyId()))
        {
            throw new PluginLoadException("signature of " + name + " was made by key id "
                + MinisignPublicKey.formatKeyId(signature.keyId()) + ", not by the trusted key (id " + trustedKey.keyId() + ")");
        }
        final byte[] signed = signature.algorithm() == MinisignSignature.Algorithm.PREHASHED ? blake2b512(data) : data;
        if (!ed25519(signed, signature.signature()))
        {
            throw new PluginLoadException("signature of " + name + " does not verify with the trusted key (id "
                + trustedKey.keyId() + "): " + name + " was altered after signing, or signed by another key with the same id");
        }
        if (!ed25519(signature.globalMessage(), signature.globalSignature()))
        {
            throw new PluginLoadException("global signature of " + name + "'s signature does not verify with the trusted key (id "
                + trustedKey.keyId() + "): the trusted comment '" + signature.trustedComment() + "' or its signature was altered");
        }
    }

    private boolean ed25519(final byte[] message, final byte[] signature)
    {
        try
        {
            final Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(trustedKey.key());
            ed25519.update(message);
            return ed25519.verify(signature);
        }
        catch (final GeneralSecurityException e)
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
