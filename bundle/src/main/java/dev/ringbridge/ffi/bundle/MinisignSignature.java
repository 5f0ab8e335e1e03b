package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A parsed {@code .minisig} file (plugin-abi.md section 5.6): four lines, an untrusted comment, the
 * signature (algorithm, key id, 64-byte Ed25519 signature), the trusted comment and the global
 * signature that binds the trusted comment to the signature.
 *
 * @param algorithm       how the file was signed.
 * @param keyId           the 8-byte id of the key that signed.
 * @param signature       the 64-byte Ed25519 signature of the file (or of its BLAKE2b-512 hash).
 * @param trustedCommentBytes the trusted comment after {@code trusted comment: }, as the file holds it: not
 *                            necessarily UTF-8, and signed as these bytes.
 * @param globalSignature the 64-byte Ed25519 signature of {@code signature ‖ trustedCommentBytes}.
 */
record MinisignSignature(Algorithm algorithm, byte[] keyId, byte[] signature, byte[] trustedCommentBytes, byte[] globalSignature)
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
    private static final byte[] UNTRUSTED_PREFIX_BYTES = UNTRUSTED_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUSTED_PREFIX_BYTES = TRUSTED_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final int SIGNATURE_LINE_BYTES = 74;
    private static final int ED25519_SIGNATURE_BYTES = 64;

    /**
     * Splits the file into lines as bytes, not as decoded text: comments need not be UTF-8, and the
     * trusted comment must reach the global signature check exactly as signed. A line's trailing
     * CR is dropped, as {@code minisign -V} does.
     *
     * @param bytes the {@code .minisig} file.
     * @param name  its entry name, for messages.
     * @return the parsed signature.
     * @throws PluginLoadException naming the line that is malformed.
     */
    static MinisignSignature parse(final byte[] bytes, final String name) throws PluginLoadException
    {
        final List<byte[]> lines = lines(bytes);
        if (lines.size() < 4)
        {
            throw malformed(name, "it has " + lines.size() + " lines, expected 4");
        }
        for (int i = 4; i < lines.size(); i++)
        {
            if (lines.get(i).length > 0)
            {
                throw malformed(name, "it has text after its 4th line");
            }
        }
        if (!startsWith(lines.get(0), UNTRUSTED_PREFIX_BYTES))
        {
            throw malformed(name, "line 1 does not start with '" + UNTRUSTED_PREFIX + "'");
        }
        final byte[] trustedLine = lines.get(2);
        if (!startsWith(trustedLine, TRUSTED_PREFIX_BYTES))
        {
            throw malformed(name, "line 3 does not start with '" + TRUSTED_PREFIX + "'");
        }
        final byte[] signatureLine = base64(lines.get(1), SIGNATURE_LINE_BYTES, name, 2);
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
            throw malformed(name, "unknown signature algorithm '"
                + UntrustedText.escape(new String(signatureLine, 0, 2, StandardCharsets.ISO_8859_1))
                + "', expected 'ED' (prehashed) or 'Ed' (legacy)");
        }
        return new MinisignSignature(
            algorithm,
            Arrays.copyOfRange(signatureLine, 2, 10),
            Arrays.copyOfRange(signatureLine, 10, SIGNATURE_LINE_BYTES),
            Arrays.copyOfRange(trustedLine, TRUSTED_PREFIX_BYTES.length, trustedLine.length),
            base64(lines.get(3), ED25519_SIGNATURE_BYTES, name, 4));
    }

    /**
     * Returns the trusted comment for messages: decoded as UTF-8 (malformed bytes replaced), not escaped.
     *
     * @return the trusted comment for messages: decoded as UTF-8 (malformed bytes replaced), not escaped.
     */
    String trustedComment()
    {
        return new String(trustedCommentBytes, StandardCharsets.UTF_8);
    }

    /**
     * Returns the bytes the global signature signs: the file signature followed by the trusted comment's bytes.
     *
     * @return the bytes the global signature signs: the file signature followed by the trusted comment's bytes.
     */
    byte[] globalMessage()
    {
        final byte[] message = Arrays.copyOf(signature, signature.length + trustedCommentBytes.length);
        System.arraycopy(trustedCommentBytes, 0, message, signature.length, trustedCommentBytes.length);
        return message;
    }

    private static List<byte[]> lines(final byte[] bytes)
    {
        final List<byte[]> lines = new ArrayList<>(5);
        int start = 0;
        for (int i = 0; i <= bytes.length; i++)
        {
            if (i == bytes.length || bytes[i] == '\n')
            {
                final int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                lines.add(Arrays.copyOfRange(bytes, start, end));
                start = i + 1;
            }
        }
        return lines;
    }

    private static boolean startsWith(final byte[] line, final byte[] prefix)
    {
        return line.length >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] base64(final byte[] line, final int length, final String name, final int lineNumber)
        throws PluginLoadException
    {
        final byte[] decoded;
        try
        {
            decoded = Base64.getDecoder().decode(new String(line, StandardCharsets.ISO_8859_1).strip());
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
