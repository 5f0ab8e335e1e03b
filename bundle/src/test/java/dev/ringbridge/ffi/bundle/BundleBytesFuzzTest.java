package dev.ringbridge.ffi.bundle;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringbridge.testing.FuzzBudget;

import java.util.HexFormat;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Any bytes as an {@code .rbp} file, through the loader with signatures off and with the trusted test key, from a
 * file and from a stream. Each step ends in its result or a {@link dev.ringbridge.ffi.PluginLoadException} with a
 * bounded, printable message; a library is extracted only when it matches its manifest's checksum, and with the
 * trusted key only when that key signed it; nothing is left in the extraction directory or written beside it
 * ({@link FuzzSandbox}). Seeded with the signed and the unsigned fake bundles, so mutations start from archives the
 * loader accepts.
 */
class BundleBytesFuzzTest
{
    private static final FuzzSandbox SANDBOX = FuzzSandbox.create();
    private static final BundleLoader UNVERIFIED = SANDBOX.loader().verifySignatures(false).build();
    private static final BundleLoader TRUSTING = SANDBOX.loader().publicKey(TestBundles.publicKey("trusted")).build();
    /** The libraries the trusted test key has signed: the fake one and the sample plugin's. */
    private static final Set<String> SIGNED_LIBRARIES = Set.of(TestBundles.sha256(TestBundles.resource("fake/libfake.so")),
        TestBundles.librarySha256(TestBundles.resource("sample/manifest.json")));

    // ZIP record signatures and the entry names the loader looks for.
    @DictionaryEntries({"PK\u0003\u0004", "PK\u0001\u0002", "PK\u0005\u0006", "PK\u0006\u0006", "PK\u0006\u0007",
        "manifest.json", ".minisig", "lib/linux-x86_64/release/", "\"library\"", "\"checksum\"", "sha256:"})
    @FuzzTest(maxDuration = FuzzBudget.CEILING)
    void shouldLoadOrRefuseAnyBytes(final byte[] bytes)
    {
        final Supplier<String> input = () -> bytes.length + " bytes: " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 256));
        SANDBOX.write(bytes);
        SANDBOX.attempt(UNVERIFIED, Set.of(), input);
        SANDBOX.attempt(TRUSTING, SIGNED_LIBRARIES, input);
        SANDBOX.attemptFromStream(UNVERIFIED, bytes, Set.of(), input);
    }
}
