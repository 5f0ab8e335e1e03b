package dev.ringbridge.ffi.bundle;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.FuzzBudget;
import dev.ringbridge.testing.RefusalMessages;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * minisign's two files as the loader meets them. A {@code .minisig} (the fuzzer's bytes, or the real signature of
 * the fake manifest with a line replaced or a byte flipped) is parsed and verified against the trusted key: it is
 * refused with a {@link dev.ringbridge.ffi.PluginLoadException} whose message is bounded and printable, or it
 * verifies, and then it says exactly what the real one says (algorithm, key id, both signatures, trusted comment);
 * the other key never accepts it. A public key (the fuzzer's text, or the real {@code trusted.pub} edited the same
 * ways) is refused with the {@link IllegalArgumentException} that {@link MinisignPublicKey#parse} documents, bounded
 * and printable, by the parser and by {@link BundleLoader.Builder#publicKey}; or it parses, its text parses to the
 * same key, and it verifies the real signature only if it is the trusted key.
 */
class MinisignFuzzTest
{
    private static final byte[] SIGNED = TestBundles.resource("fake/manifest.json");
    private static final byte[] MINISIG = TestBundles.resource("fake/manifest.json.minisig");
    private static final String PUBLIC_KEY_FILE = TestBundles.text("keys/trusted.pub");
    private static final MinisignPublicKey TRUSTED = MinisignPublicKey.parse(PUBLIC_KEY_FILE);
    private static final MinisignVerifier TRUSTING = new MinisignVerifier(TRUSTED);
    private static final MinisignVerifier OTHER = new MinisignVerifier(MinisignPublicKey.parse(TestBundles.publicKey("other")));
    private static final MinisignSignature REAL = parse(MINISIG);

    @FuzzTest(maxDuration = FuzzBudget.CEILING)
    void shouldVerifyOrRefuseAnySignatureOrKeyFile(final FuzzedDataProvider data)
    {
        if (data.consumeBoolean())
        {
            signature(edited(MINISIG, data));
        }
        else
        {
            publicKey(new String(edited(PUBLIC_KEY_FILE.getBytes(StandardCharsets.UTF_8), data), StandardCharsets.UTF_8));
        }
    }

    private static void signature(final byte[] minisig)
    {
        final Supplier<String> input = () -> "minisig " + HexFormat.of().formatHex(minisig, 0, Math.min(minisig.length, 512));
        FuzzSandbox.step(() ->
        {
            final MinisignSignature parsed = MinisignSignature.parse(minisig, "manifest.json.minisig");
            FuzzSandbox.step(() ->
            {
                TRUSTING.verify(SIGNED, parsed, "manifest.json");
                assertEquals(REAL.algorithm(), parsed.algorithm(), input);
                assertArrayEquals(REAL.keyId(), parsed.keyId(), input.get());
                assertArrayEquals(REAL.signature(), parsed.signature(), input.get());
                assertArrayEquals(REAL.trustedCommentBytes(), parsed.trustedCommentBytes(), input.get());
                assertArrayEquals(REAL.globalSignature(), parsed.globalSignature(), input.get());
            }, input);
            FuzzSandbox.step(() ->
            {
                OTHER.verify(SIGNED, parsed, "manifest.json");
                fail("the other key accepted a signature of the trusted one; " + input.get());
            }, input);
        }, input);
    }

    private static void publicKey(final String text)
    {
        final Supplier<String> input = () -> "public key '" + text.replaceAll("\\p{Cntrl}", "?") + "'";
        final MinisignPublicKey key;
        try
        {
            key = MinisignPublicKey.parse(text);
        }
        catch (final IllegalArgumentException e)
        {
            RefusalMessages.assertBoundedAndPrintable(e, input);
            final IllegalArgumentException byBuilder = assertThrows(IllegalArgumentException.class, () -> BundleLoader.builder().publicKey(text));
            assertEquals(e.getMessage(), byBuilder.getMessage(), input);
            return;
        }
        assertEquals(key, MinisignPublicKey.parse(key.base64()), input);
        FuzzSandbox.step(() ->
        {
            new MinisignVerifier(key).verify(SIGNED, REAL, "manifest.json");
            assertEquals(TRUSTED, key, () -> "a key other than the trusted one verified its signature; " + input.get());
        }, input);
    }

    /** The original, or its lines with one replaced by the fuzzer's bytes, or a byte flipped, or the fuzzer's bytes alone. */
    private static byte[] edited(final byte[] original, final FuzzedDataProvider data)
    {
        switch (data.consumeInt(0, 3))
        {
            case 0 ->
            {
                return original;
            }
            case 1 ->
            {
                final String[] lines = new String(original, StandardCharsets.ISO_8859_1).split("\n", -1);
                lines[data.consumeInt(0, lines.length - 1)] = new String(data.consumeBytes(data.consumeInt(0, 256)), StandardCharsets.ISO_8859_1);
                return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
            }
            case 2 ->
            {
                final byte[] out = original.clone();
                out[data.consumeInt(0, out.length - 1)] ^= (byte)data.consumeInt(1, 255);
                return out;
            }
            default ->
            {
                return data.consumeRemainingAsBytes();
            }
        }
    }

    /** The committed signature, parsed and checked: if it did not verify, every refusal above would prove nothing. */
    private static MinisignSignature parse(final byte[] minisig)
    {
        try
        {
            final MinisignSignature real = MinisignSignature.parse(minisig, "manifest.json.minisig");
            new MinisignVerifier(TRUSTED).verify(SIGNED, real, "manifest.json");
            return real;
        }
        catch (final PluginLoadException e)
        {
            throw new AssertionError("the committed fixture fake/manifest.json.minisig does not verify", e);
        }
    }
}
