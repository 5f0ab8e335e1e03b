package dev.ringbridge.ffi.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Signs like {@code minisign -S} with a committed TEST-ONLY secret key, so tests can make signed
 * inputs the fixtures don't have (a hostile but genuinely signed manifest, a trusted comment that is
 * not UTF-8). {@code MinisignVerifierTest} checks it reproduces the real tool's fixtures byte for byte.
 *
 * <p>A minisign secret key made with {@code -W} (no password) is base64 of: {@code Ed}, KDF {@code 00 00},
 * checksum algorithm {@code B2}, 32 bytes of salt and 16 of KDF limits (all unused), the 8-byte key id,
 * the 64-byte Ed25519 secret key (seed, then public key) and a 32-byte checksum.
 */
final class TestSigner
{
    private static final int KEY_ID_OFFSET = 54;
    private static final int SEED_OFFSET = KEY_ID_OFFSET + 8;

    private final byte[] keyId;
    private final PrivateKey key;

    private TestSigner(final byte[] keyId, final PrivateKey key)
    {
        this.keyId = keyId;
        this.key = key;
    }

    /** @return a signer with the test key {@code trusted} or {@code other}. */
    static TestSigner of(final String name)
    {
        final byte[] secret = Base64.getDecoder().decode(TestBundles.text("keys/" + name + ".TEST-ONLY.key").lines().skip(1).findFirst().orElseThrow());
        if (secret[0] != 'E' || secret[1] != 'd' || secret[2] != 0 || secret[3] != 0)
        {
            throw new IllegalStateException("keys/" + name + ".TEST-ONLY.key is not an unencrypted minisign Ed25519 key");
        }
        try
        {
            final PrivateKey key = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Arrays.copyOfRange(secret, SEED_OFFSET, SEED_OFFSET + 32)));
            return new TestSigner(Arrays.copyOfRange(secret, KEY_ID_OFFSET, SEED_OFFSET), key);
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** @return a prehashed ({@code ED}) {@code .minisig} of {@code data}. */
    byte[] sign(final byte[] data, final String untrustedComment, final byte[] trustedComment)
    {
        return minisig("ED", MinisignVerifier.blake2b512(data), untrustedComment, trustedComment);
    }

    /** @return a legacy ({@code Ed}) {@code .minisig} of {@code data}, as {@code minisign -S -l} writes it. */
    byte[] signLegacy(final byte[] data, final String untrustedComment, final byte[] trustedComment)
    {
        return minisig("Ed", data, untrustedComment, trustedComment);
    }

    private byte[] minisig(final String algorithm, final byte[] signed, final String untrustedComment, final byte[] trustedComment)
    {
        final byte[] signature = ed25519(signed);
        final byte[] line = new byte[74];
        line[0] = (byte)algorithm.charAt(0);
        line[1] = (byte)algorithm.charAt(1);
        System.arraycopy(keyId, 0, line, 2, 8);
        System.arraycopy(signature, 0, line, 10, 64);
        final byte[] global = Arrays.copyOf(signature, 64 + trustedComment.length);
        System.arraycopy(trustedComment, 0, global, 64, trustedComment.length);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("untrusted comment: " + untrustedComment + "\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes((Base64.getEncoder().encodeToString(line) + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("trusted comment: ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(trustedComment);
        out.writeBytes(("\n" + Base64.getEncoder().encodeToString(ed25519(global)) + "\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private byte[] ed25519(final byte[] message)
    {
        try
        {
            final Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
