package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;

import static dev.ringbridge.ffi.bundle.TestBundles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against signatures made by the real minisign tool (src/test/resources/bundle/make-fixtures.sh).
 */
class MinisignVerifierTest
{
    private static final byte[] DATA = TestBundles.resource("fake/libfake.so");
    private static final MinisignPublicKey TRUSTED = MinisignPublicKey.parse(TestBundles.publicKey("trusted"));
    private static final MinisignVerifier VERIFIER = new MinisignVerifier(TRUSTED);

    @Test
    void shouldVerifyAPrehashedSignature() throws Exception
    {
        final MinisignSignature signature = signature("fake/libfake.so.minisig");
        assertEquals(MinisignSignature.Algorithm.PREHASHED, signature.algorithm());
        assertEquals("ringbridge test fixture libfake.so key trusted", signature.trustedComment());
        assertDoesNotThrow(() -> VERIFIER.verify(DATA, signature, "libfake.so"));
    }

    @Test
    void shouldVerifyALegacySignature() throws Exception
    {
        final MinisignSignature signature = signature("fake/libfake.so.legacy.minisig");
        assertEquals(MinisignSignature.Algorithm.LEGACY, signature.algorithm());
        assertDoesNotThrow(() -> VERIFIER.verify(DATA, signature, "libfake.so"));
    }

    @Test
    void shouldRefuseAlteredData() throws Exception
    {
        final byte[] altered = DATA.clone();
        altered[0] ^= 1;
        for (final String file : new String[] {"fake/libfake.so.minisig", "fake/libfake.so.legacy.minisig"})
        {
            final PluginLoadException e = assertThrows(PluginLoadException.class, () -> VERIFIER.verify(altered, signature(file), "libfake.so"));
            assertTrue(e.getMessage().contains("signature of libfake.so does not verify with the trusted key"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseASignatureByAnotherKeyNamingBothKeyIds() throws Exception
    {
        final MinisignPublicKey other = MinisignPublicKey.parse(TestBundles.publicKey("other"));
        final PluginLoadException e = assertThrows(PluginLoadException.class,
            () -> VERIFIER.verify(DATA, signature("fake/libfake.so.other.minisig"), "libfake.so"));
        assertTrue(e.getMessage().contains("was made by key id " + other.keyId() + ", not by the trusted key (id " + TRUSTED.keyId() + ")"),
            e.getMessage());
    }

    @Test
    void shouldRefuseTheRightKeyIdWithTheWrongKey() throws Exception
    {
        final MinisignVerifier impostor = new MinisignVerifier(MinisignPublicKey.parse(TestBundles.keyWithTrustedIdAndOtherKey()));
        final PluginLoadException e = assertThrows(PluginLoadException.class,
            () -> impostor.verify(DATA, signature("fake/libfake.so.minisig"), "libfake.so"));
        assertTrue(e.getMessage().contains("does not verify with the trusted key"), e.getMessage());
    }

    @Test
    void shouldRefuseACorruptedGlobalSignature() throws Exception
    {
        final String text = TestBundles.withCorruptedGlobalSignature(TestBundles.text("fake/libfake.so.minisig"));
        final MinisignSignature corrupted = MinisignSignature.parse(utf8(text), "libfake.so.minisig");
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> VERIFIER.verify(DATA, corrupted, "libfake.so"));
        assertTrue(e.getMessage().contains("global signature of libfake.so's signature does not verify"), e.getMessage());
    }

    @Test
    void shouldRefuseAnAlteredTrustedComment() throws Exception
    {
        final String altered = TestBundles.text("fake/libfake.so.minisig").replace("key trusted", "key trusted, approved by security");
        final MinisignSignature signature = MinisignSignature.parse(utf8(altered), "libfake.so.minisig");
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> VERIFIER.verify(DATA, signature, "libfake.so"));
        assertTrue(e.getMessage().contains("the trusted comment 'ringbridge test fixture libfake.so key trusted, approved by security'"),
            e.getMessage());
    }

    @Test
    void shouldIgnoreTheUntrustedCommentAndCarriageReturns() throws Exception
    {
        final String edited = TestBundles.text("fake/libfake.so.minisig").replace("TEST-ONLY", "anything at all").replace("\n", "\r\n");
        assertDoesNotThrow(() -> VERIFIER.verify(DATA, MinisignSignature.parse(utf8(edited), "x.minisig"), "libfake.so"));
    }

    @Test
    void shouldSignLikeTheMinisignToolWithTheTestSigner()
    {
        final TestSigner signer = TestSigner.of("trusted");
        assertArrayEquals(TestBundles.resource("fake/libfake.so.minisig"),
            signer.sign(DATA, "ringbridge TEST-ONLY fixture signature, key trusted", utf8("ringbridge test fixture libfake.so key trusted")));
        assertArrayEquals(TestBundles.resource("fake/libfake.so.legacy.minisig"),
            signer.signLegacy(DATA, "ringbridge TEST-ONLY fixture signature, key trusted", utf8("ringbridge test fixture libfake.so key trusted")));
    }

    @Test
    void shouldVerifyTheExactBytesOfATrustedCommentThatIsNotUtf8() throws Exception
    {
        // ISO-8859-1 text, a stray continuation byte and an overlong form: what minisign -V accepts as bytes.
        final byte[] comment = {'c', 'a', 'f', (byte)0xE9, ' ', (byte)0x80, ' ', (byte)0xC0, (byte)0xAF, ' ', 't', 's'};
        final byte[] minisig = TestSigner.of("trusted").sign(DATA, "not UTF-8 below", comment);
        final MinisignSignature signature = MinisignSignature.parse(minisig, "libfake.so.minisig");
        assertArrayEquals(comment, signature.trustedCommentBytes());
        assertDoesNotThrow(() -> VERIFIER.verify(DATA, signature, "libfake.so"));
        assertDoesNotThrow(() -> VERIFIER.verify(DATA, MinisignSignature.parse(TestSigner.of("trusted").signLegacy(DATA, "x", comment), "x"),
            "libfake.so"));

        final byte[] altered = minisig.clone();
        for (int i = 0; i < altered.length; i++)
        {
            if (altered[i] == (byte)0xE9)
            {
                altered[i] = (byte)0xE8;
            }
        }
        final PluginLoadException e = assertThrows(PluginLoadException.class,
            () -> VERIFIER.verify(DATA, MinisignSignature.parse(altered, "x.minisig"), "libfake.so"));
        assertTrue(e.getMessage().contains("global signature of libfake.so's signature does not verify"), e.getMessage());
    }

    @Test
    void shouldRefuseMalformedSignatureFiles()
    {
        final String valid = TestBundles.text("fake/libfake.so.minisig");
        final String[] lines = valid.split("\n");
        assertMalformed("untrusted comment: x\n", "it has 2 lines, expected 4");
        assertMalformed(valid.replace("untrusted comment:", "comment:"), "line 1 does not start with 'untrusted comment: '");
        assertMalformed(valid.replace("\ntrusted comment: ", "\nnote: "), "line 3 does not start with 'trusted comment: '");
        assertMalformed(valid.replace(lines[1], "not*base64"), "line 2 is not valid base64");
        assertMalformed(valid.replace(lines[1], lines[1].substring(0, 40)), "line 2 decodes to 30 bytes, expected 74");
        assertMalformed(valid.replace(lines[3], lines[3].substring(0, 40)), "line 4 decodes to 30 bytes, expected 64");
        assertMalformed(valid + "extra line\n", "it has text after its 4th line");
        final byte[] unknown = Base64.getDecoder().decode(lines[1]);
        unknown[1] = 'X';
        assertMalformed(valid.replace(lines[1], Base64.getEncoder().encodeToString(unknown)), "unknown signature algorithm 'EX'");
    }

    @Test
    void shouldParsePublicKeysFromTheirLineOrTheirFile()
    {
        final MinisignPublicKey fromFile = MinisignPublicKey.parse(TestBundles.text("keys/trusted.pub"));
        assertEquals(TRUSTED, fromFile);
        // minisign prints the id in its .pub comment: "minisign public key <ID>".
        assertTrue(TestBundles.text("keys/trusted.pub").startsWith("untrusted comment: minisign public key " + TRUSTED.keyId()));
    }

    @Test
    void shouldRefuseMalformedPublicKeys()
    {
        assertKeyRefused("not base64!", "not valid base64");
        assertKeyRefused(Base64.getEncoder().encodeToString(new byte[41]), "must decode to 42 bytes, got 41");
        final byte[] wrongAlgorithm = Base64.getDecoder().decode(TestBundles.publicKey("trusted"));
        wrongAlgorithm[1] = 'D';
        assertKeyRefused(Base64.getEncoder().encodeToString(wrongAlgorithm), "algorithm 'ED', expected 'Ed'");
        assertKeyRefused("a\nb\nc", "got 3 lines");
    }

    @Test
    void shouldHashWithUnkeyedBlake2b512()
    {
        // RFC 7693 appendix A: BLAKE2b-512("abc").
        assertArrayEquals(HexFormat.of().parseHex(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"),
            MinisignVerifier.blake2b512(utf8("abc")));
    }

    private static MinisignSignature signature(final String resource) throws PluginLoadException
    {
        return MinisignSignature.parse(TestBundles.resource(resource), resource);
    }

    private static void assertMalformed(final String text, final String expected)
    {
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> MinisignSignature.parse(utf8(text), "x.minisig"));
        assertTrue(e.getMessage().contains("signature x.minisig is not a minisign signature: " + expected), e.getMessage());
    }

    private static void assertKeyRefused(final String text, final String expected)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MinisignPublicKey.parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
