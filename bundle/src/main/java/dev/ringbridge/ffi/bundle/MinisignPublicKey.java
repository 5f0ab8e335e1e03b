package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.internal.UntrustedText;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A minisign Ed25519 public key: base64 of 42 bytes, the algorithm {@code Ed}, an 8-byte key id and
 * the 32-byte key (plugin-abi.md section 5.6). The text starts with {@code RW}.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class MinisignPublicKey
{
    private static final int LENGTH = 42;
    private static final int KEY_ID_LENGTH = 8;
    private static final String UNTRUSTED_COMMENT = "untrusted comment:";
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112); the raw key follows. */
    private static final byte[] X509_ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String base64;
    private final byte[] keyId;
    private final PublicKey key;

    private MinisignPublicKey(final String base64, final byte[] keyId, final PublicKey key)
    {
        this.base64 = base64;
        this.keyId = keyId;
        this.key = key;
    }

    /**
     * Returns the key.
     *
     * @param text the base64 key line, or the whole text of a {@code minisign.pub} file (an
     * {@code untrusted comment:} line, then the key line).
     * @return the key.
     * @throws IllegalArgumentException when the text is not a minisign Ed25519 public key; the message says why.
     */
    public static MinisignPublicKey parse(final String text)
    {
        Objects.requireNonNull(text, "public key text must not be null");
        final String line = keyLine(text);
        final byte[] bytes;
        try
        {
            bytes = Base64.getDecoder().decode(line);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("minisign public key is not valid base64: '" + UntrustedText.escape(line) + "'", e);
        }
        if (bytes.length != LENGTH)
        {
            throw new IllegalArgumentException("minisign public key must decode to " + LENGTH + " bytes, got "
                + bytes.length + ": '" + UntrustedText.escape(line) + "'");
        }
        if (bytes[0] != 'E' || bytes[1] != 'd')
        {
            throw new IllegalArgumentException("minisign public key has algorithm '"
                + UntrustedText.escape(new String(bytes, 0, 2, StandardCharsets.ISO_8859_1)) + "', expected 'Ed' (Ed25519): '"
                + UntrustedText.escape(line) + "'");
        }
        final byte[] spki = Arrays.copyOf(X509_ED25519_PREFIX, X509_ED25519_PREFIX.length + 32);
        System.arraycopy(bytes, 2 + KEY_ID_LENGTH, spki, X509_ED25519_PREFIX.length, 32);
        try
        {
            final PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            // Re-encoded so that equal keys have equal text, whatever padding bits the input carried.
            return new MinisignPublicKey(Base64.getEncoder().encodeToString(bytes), Arrays.copyOfRange(bytes, 2, 2 + KEY_ID_LENGTH), key);
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalArgumentException("minisign public key is not a usable Ed25519 key: '" + UntrustedText.escape(line) + "'", e);
        }
    }

    /**
     * Returns the key id as minisign prints it: 16 uppercase hex digits of the little-endian id.
     *
     * @return the key id as minisign prints it: 16 uppercase hex digits of the little-endian id.
     */
    public String keyId()
    {
        return formatKeyId(keyId);
    }

    /**
     * Returns the base64 key line.
     *
     * @return the base64 key line.
     */
    public String base64()
    {
        return base64;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof MinisignPublicKey that && base64.equals(that.base64);
    }

    @Override
    public int hashCode()
    {
        return base64.hashCode();
    }

    @Override
    public String toString()
    {
        return "MinisignPublicKey[id " + keyId() + "]";
    }

    boolean hasKeyId(final byte[] id)
    {
        return Arrays.equals(keyId, id);
    }

    PublicKey key()
    {
        return key;
    }

    static String formatKeyId(final byte[] id)
    {
        final byte[] reversed = new byte[id.length];
        for (int i = 0; i < id.length; i++)
        {
            reversed[i] = id[id.length - 1 - i];
        }
        return HexFormat.of().withUpperCase().formatHex(reversed);
    }

    private static String keyLine(final String text)
    {
        final String[] lines = text.strip().split("\r?\n");
        if (lines.length == 2 && lines[0].startsWith(UNTRUSTED_COMMENT))
        {
            return lines[1].strip();
        }
        if (lines.length != 1)
        {
            throw new IllegalArgumentException("minisign public key must be one base64 line, or a comment line and a"
                + " base64 line as in minisign.pub; got " + lines.length + " lines");
        }
        return lines[0];
    }
}
