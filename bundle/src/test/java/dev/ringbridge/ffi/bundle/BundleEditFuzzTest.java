package dev.ringbridge.ffi.bundle;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringbridge.testing.FuzzBudget;
import dev.ringbridge.testing.NeedsSamplePlugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.Deflater;

/**
 * The real signed sample bundle (the library this checkout built, signed with the trusted test key) with
 * structured edits, as an attacker or a broken download would make them: entries replaced, flipped, renamed,
 * duplicated, added past the size bound or removed; a manifest or signature rewritten (the manifest re-signed or
 * not); then, on the archive's bytes, truncation, flipped bytes, and overwritten fields of local headers, central
 * directory records and the end record, with huge declared sizes among the values. Each input goes through one of
 * three loaders (signatures off, the trusted key, the embedded key), with {@link FuzzSandbox}'s properties: each step
 * works or ends in a {@link dev.ringbridge.ffi.PluginLoadException} with a bounded, printable message, and nothing
 * is left behind; with the trusted key a library is extracted only if it is the one signed.
 */
@NeedsSamplePlugin
class BundleEditFuzzTest
{
    private static final FuzzSandbox SANDBOX = FuzzSandbox.create();
    private static final String[] KINDS = {"unverified", "trusted key", "embedded key"};
    private static final BundleLoader[] LOADERS = {
        SANDBOX.loader().verifySignatures(false).build(),
        SANDBOX.loader().publicKey(TestBundles.publicKey("trusted")).build(),
        SANDBOX.loader().trustEmbeddedKey().build(),
    };

    @FuzzTest(maxDuration = FuzzBudget.CEILING)
    void shouldLoadOrRefuseEveryEditOfTheSignedSample(final FuzzedDataProvider data)
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>(Sample.ENTRIES);
        final List<String> edits = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--)
        {
            edits.add(BundleEdits.editEntries(entries, data));
        }
        // The fastest level: deflating the 630 KB library is most of an input's cost.
        byte[] zip = TestBundles.zip(entries, Deflater.BEST_SPEED);
        for (int i = data.consumeInt(0, 3); i > 0; i--)
        {
            final ArchiveEdit edit = BundleEdits.editArchive(zip, data);
            zip = edit.bytes();
            edits.add(edit.description());
        }
        final int kind = data.consumeInt(0, LOADERS.length - 1);
        final Supplier<String> input = () -> KINDS[kind] + " loader, edits " + edits;
        SANDBOX.write(zip);
        // The embedded key is the trusted one here, unless an edit replaced it: then it signed nothing we know.
        SANDBOX.attempt(LOADERS[kind], kind == 0 ? Set.of() : Sample.SIGNED, input);
    }

    /** Read once, when the first input needs it: the sample plugin may not have been built (then the test is skipped). */
    private static final class Sample
    {
        static final Map<String, byte[]> ENTRIES = TestBundles.signedSample();
        static final Set<String> SIGNED = Set.of(TestBundles.sha256(ENTRIES.get(TestBundles.SAMPLE_LIBRARY)));
    }

    /** An edited archive and what was done to it. */
    record ArchiveEdit(byte[] bytes, String description)
    {
    }
}
