package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A parsed {@code .minisig} file (plugin-abi.md section 5.6): four lines, an untrusted comment, the
 * signature (algorithm, key id, 64-byte Ed25519 signature), the trusted comment and the global
 * signature that binds the trusted comment to the signature.
 *
 * @param algorithm       how the file was signed.
 * @param keyId           the 8-byte id of the key that signed.
 * @param signature       the 64-byte Ed25519 signature of the file (or of its BLAKE2b-512 hash).
 * @param trustedComment  the trusted comment's text after {@code trusted comment: }.
 * @param globalSignature the 64-byte Ed25519 signature of {@code signature ‖ trustedComment}.
 */
record MinisignSignature(Algorithm algorithm, byte[] keyId, byte[] signature, String trustedComment, byte[] globalSignature)
{
    /** The two signature forms minisign writes. */
    enum Algorithm
    {
        /** {@code Ed}: Ed25519 over the file's bytes (minisign before 0.11 by default, {@code -l} since). */
        LEGACY,
        /** {@code ED}: Ed25519 over the BLAKE2b-512 hash of the file (the default since minisign 0.11, and rustbridge). */
        PREHASHED
    }

    /** A signature file is four short lines; anything larger is not one. */
    static final int MAX_BYTES = 16 * 1024;

    private static final String UNTRUSTED_PREFIX = "untrusted comment: ";
    private static final String TRUSTED_PREFIX = "trusted comment: ";
    private static final int SIGNATURE_LINE_BYTES = 74;
    private static final int ED25519_SIGNATURE_BYTES = 64;

    /**
     * @param bytes the {@code .minisig} file.
     * @param name  its entry name, for messages.
     * @return the parsed signature.
     * @throws PluginLoadException naming the line that is malformed.
     */
    static MinisignSignature parse(final byte[] bytes, final String name) throws PluginLoadException
    {
        final String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 4)
        {
            throw malformed(name, "it has " + lines.length + " lines, expected 4");
        }
        for (int i = 0; i < lines.length; i++)
        {
            lines[i] = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (i >= 4 && !lines[i].isEmpty())
            {
                throw malformed(name, "it has text after its 4th line");
            }
        }
        if (!lines[0].startsWith(UNTRUSTED_PREFIX))
        {
            throw malformed(name, "line 1 does not start with '" + UNTRUSTED_PREFIX + "'");
        }
        if (!lines[2].startsWith(TRUSTED_PREFIX))
        {
            throw malformed(name, "line 3 does not start with '" + TRUSTED_PREFIX + "'");
        }
        final byte[] signatureLine = base64(lines[1], SIGNATURE_LINE_BYTES, name, 2);
        final Algorithm algorithm;
        if (signatureLine[0] == 'E' && signatureLine[1] == 'D')
        {
            algorithm = Algorithm.PREHASHED;
        }
        else if (signatureLine[0] == 'E' && signatureLine[1] == 'd')
        {
            algorithm = Algorithm.LEGACY;
        }
        else
        {
            throw malformed(name, "unknown signature algorithm '" + (char)(signatureLine[0] & 0xff) + (char)(signatureLine[1] & 0xff)
                + "', expected 'ED' (prehashed) or 'Ed' (legacy)");
        }
        return new MinisignSignature(
            algorithm,
            Arrays.copyOfRange(signatureLine, 2, 10),
            Arrays.copyOfRange(signatureLine, 10, SIGNATURE_LINE_BYTES),
            lines[2].substring(TRUSTED_PREFIX.length()),
            base64(lines[3], ED25519_SIGNATURE_BYTES, name, 4));
    }

    /**
     * @return the bytes the global signature signs: the file signature followed by the trusted comment.
     */
    byte[] globalMessage()
    {
        final byte[] comment = trustedComment.getBytes(StandardCharsets.UTF_8);
        final byte[] message = Arrays.copyOf(signature, signature.length + comment.length);
        System.arraycopy(comment, 0, message, signature.length, comment.length);
        return message;
    }

    private static byte[] base64(final String line, final int length, final String name, final int lineNumber)
        throws PluginLoadException
    {
        final byte[] decoded;
        try
        {
            decoded = Base64.getDecoder().decode(line.strip());
        }
        catch (final IllegalArgumentException e)
        {
            throw malformed(name, "line " + lineNumber + " is not valid base64");
        }
        if (decoded.length != length)
        {
            throw malformed(name, "line " + lineNumber + " decodes to " + decoded.length + " bytes, expected " + length);
        }
        return decoded;
    }

    private static PluginLoadException malformed(final String name, final String problem)
    {
        return new PluginLoadException("signature " + name + " is not a minisign signature: " + problem);
    }
}
