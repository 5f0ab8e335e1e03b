package dev.ringbridge.ffi.bundle;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The edits {@link BundleEditFuzzTest} makes, chosen and parameterised by the fuzzer's data: first on the entries
 * (before zipping), then on the archive's bytes (which is how duplicate names, lying sizes and broken headers are
 * made, since {@code ZipOutputStream} writes none of them). Each returns a short description for failure messages.
 */
final class BundleEdits
{
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_RECORD = 0x02014b50;
    private static final int END_RECORD = 0x06054b50;
    /** Offset and width of each field after the signature: version, flags, method, time, date, crc, sizes, name and extra lengths. */
    private static final int[][] LOCAL_FIELDS = {{4, 2}, {6, 2}, {8, 2}, {10, 2}, {12, 2}, {14, 4}, {18, 4}, {22, 4}, {26, 2}, {28, 2}};
    /** The same for a central record, plus comment length, disk, attributes and the local header's offset. */
    private static final int[][] CENTRAL_FIELDS = {{4, 2}, {6, 2}, {8, 2}, {10, 2}, {12, 2}, {16, 4}, {20, 4}, {24, 4}, {28, 2},
        {30, 2}, {32, 2}, {34, 2}, {36, 2}, {38, 4}, {42, 4}};
    /** Disk numbers, entry counts, directory size and offset, comment length. */
    private static final int[][] END_FIELDS = {{4, 2}, {6, 2}, {8, 2}, {10, 2}, {12, 4}, {16, 4}, {20, 2}};
    /** Values a lying header likes: zero, all ones, just past a signed int, and the ZIP64 markers. */
    private static final long[] SPECIAL_VALUES = {0, 1, 0xFFFF, 0xFFFFFFFFL, 0x7FFFFFFF, 0x80000000L, 0xFFFE};

    private BundleEdits()
    {
    }

    /** Applies one edit to the entries; returns what it did. */
    static String editEntries(final Map<String, byte[]> entries, final FuzzedDataProvider data)
    {
        final List<String> names = new ArrayList<>(entries.keySet());
        if (names.isEmpty())
        {
            entries.put(TestBundles.MANIFEST, data.consumeBytes(512));
            return "a manifest of the fuzzer's bytes added to an empty bundle";
        }
        final String name = data.pickValue(names);
        switch (data.consumeInt(0, 6))
        {
            case 0 ->
            {
                // The manifest rewritten in place, and signed again (a hostile but genuinely signed manifest) or not.
                final byte[] manifest = entries.getOrDefault(TestBundles.MANIFEST, new byte[0]);
                final byte[] edited = splice(manifest, data);
                entries.put(TestBundles.MANIFEST, edited);
                final boolean resign = data.consumeBoolean();
                if (resign)
                {
                    entries.put(TestBundles.MANIFEST + TestBundles.SIG, TestSigner.of("trusted").sign(edited, "fuzz", TestBundles.utf8("fuzz")));
                }
                return "manifest spliced" + (resign ? " and re-signed" : "");
            }
            case 1 ->
            {
                entries.put(name, splice(entries.get(name), data));
                return "spliced " + name;
            }
            case 2 ->
            {
                final byte[] content = entries.get(name).clone();
                if (content.length > 0)
                {
                    content[data.consumeInt(0, content.length - 1)] ^= (byte)data.consumeInt(1, 255);
                }
                entries.put(name, content);
                return "flipped a byte of " + name;
            }
            case 3 ->
            {
                final String renamed = data.consumeBoolean() ? name + data.consumeString(8) : data.consumeString(64);
                entries.put(renamed, entries.remove(name));
                return "renamed " + name + " to " + renamed;
            }
            case 4 ->
            {
                // Past the loader's bound by a byte, or just within it; zeros deflate to almost nothing.
                final int size = (int)FuzzSandbox.MAX_ENTRY_BYTES + data.consumeInt(-1, 1);
                entries.put(name, new byte[size]);
                return name + " replaced by " + size + " zero bytes";
            }
            case 5 ->
            {
                entries.remove(name);
                return "removed " + name;
            }
            default ->
            {
                final String added = data.consumeString(64);
                entries.put(added, data.consumeBytes(data.consumeInt(0, 256)));
                return "added " + added;
            }
        }
    }

    /** Applies one edit to the archive's bytes; returns the new bytes and what was done. */
    static BundleEditFuzzTest.ArchiveEdit editArchive(final byte[] zip, final FuzzedDataProvider data)
    {
        if (zip.length == 0)
        {
            return new BundleEditFuzzTest.ArchiveEdit(zip, "nothing left to edit");
        }
        switch (data.consumeInt(0, 5))
        {
            case 0 ->
            {
                final int length = data.consumeInt(0, zip.length - 1);
                return new BundleEditFuzzTest.ArchiveEdit(Arrays.copyOf(zip, length), "truncated to " + length + " bytes");
            }
            case 1 ->
            {
                final byte[] out = zip.clone();
                final int at = data.consumeInt(0, out.length - 1);
                out[at] ^= (byte)data.consumeInt(1, 255);
                return new BundleEditFuzzTest.ArchiveEdit(out, "flipped byte " + at);
            }
            case 2 ->
            {
                return overwriteField(zip, LOCAL_HEADER, LOCAL_FIELDS, "local header", data);
            }
            case 3 ->
            {
                return overwriteField(zip, CENTRAL_RECORD, CENTRAL_FIELDS, "central record", data);
            }
            case 4 ->
            {
                return overwriteField(zip, END_RECORD, END_FIELDS, "end record", data);
            }
            default ->
            {
                return duplicateName(zip, data);
            }
        }
    }

    /** Replaces a slice of the bytes by the fuzzer's bytes. */
    private static byte[] splice(final byte[] bytes, final FuzzedDataProvider data)
    {
        final int from = data.consumeInt(0, bytes.length);
        final int to = data.consumeInt(from, bytes.length);
        final byte[] inserted = data.consumeBytes(data.consumeInt(0, 512));
        final byte[] out = new byte[bytes.length - (to - from) + inserted.length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(inserted, 0, out, from, inserted.length);
        System.arraycopy(bytes, to, out, from + inserted.length, bytes.length - to);
        return out;
    }

    private static BundleEditFuzzTest.ArchiveEdit overwriteField(final byte[] zip, final int signature, final int[][] fields,
        final String what, final FuzzedDataProvider data)
    {
        final List<Integer> records = find(zip, signature);
        if (records.isEmpty())
        {
            return new BundleEditFuzzTest.ArchiveEdit(zip, "no " + what + " left");
        }
        final int record = data.pickValue(records);
        final int[] field = fields[data.consumeInt(0, fields.length - 1)];
        final long value = data.consumeBoolean() ? data.pickValue(Arrays.stream(SPECIAL_VALUES).boxed().toList()) : data.consumeLong();
        final byte[] out = zip.clone();
        final ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        if (record + field[0] + field[1] > out.length)
        {
            return new BundleEditFuzzTest.ArchiveEdit(zip, what + " cut short");
        }
        if (field[1] == 2)
        {
            buffer.putShort(record + field[0], (short)value);
        }
        else
        {
            buffer.putInt(record + field[0], (int)value);
        }
        return new BundleEditFuzzTest.ArchiveEdit(out, what + " at " + record + ", field +" + field[0] + " = 0x" + Long.toHexString(value));
    }

    /**
     * Gives a central record, and its local header, the name of another entry of the same length: two entries with
     * one name, which ZipOutputStream refuses to write.
     */
    private static BundleEditFuzzTest.ArchiveEdit duplicateName(final byte[] zip, final FuzzedDataProvider data)
    {
        final ByteBuffer in = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        final List<Integer> records = find(zip, CENTRAL_RECORD).stream().filter(at -> at + 46 <= zip.length).toList();
        if (records.size() < 2)
        {
            return new BundleEditFuzzTest.ArchiveEdit(zip, "fewer than two central records");
        }
        final int from = data.pickValue(records);
        final int to = data.pickValue(records);
        final int length = Short.toUnsignedInt(in.getShort(from + 28));
        if (from == to || length != Short.toUnsignedInt(in.getShort(to + 28)) || to + 46 + length > zip.length || from + 46 + length > zip.length)
        {
            return new BundleEditFuzzTest.ArchiveEdit(zip, "no two names of one length");
        }
        final byte[] out = zip.clone();
        System.arraycopy(zip, from + 46, out, to + 46, length);
        final long local = Integer.toUnsignedLong(in.getInt(to + 42));
        if (local + 30 + length <= zip.length)
        {
            System.arraycopy(zip, from + 46, out, (int)local + 30, length);
        }
        return new BundleEditFuzzTest.ArchiveEdit(out, "central record at " + to + " renamed as the one at " + from);
    }

    /**
     * Finds the records by following the archive's own structure (end record, central records, the local headers
     * they point at) rather than scanning every byte: instrumented for coverage, a scan of the 300 KB archive costs
     * more than the load it precedes. Whatever an earlier edit broke is simply not found.
     */
    private static List<Integer> find(final byte[] zip, final int signature)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        final int end = zip.length - 22;
        if (end < 0 || buffer.getInt(end) != END_RECORD)
        {
            return List.of();
        }
        if (signature == END_RECORD)
        {
            return List.of(end);
        }
        final List<Integer> central = new ArrayList<>();
        final List<Integer> local = new ArrayList<>();
        long at = Integer.toUnsignedLong(buffer.getInt(end + 16));
        while (at + 46 <= end && buffer.getInt((int)at) == CENTRAL_RECORD)
        {
            final int record = (int)at;
            central.add(record);
            final long header = Integer.toUnsignedLong(buffer.getInt(record + 42));
            if (header + 30 <= zip.length && buffer.getInt((int)header) == LOCAL_HEADER)
            {
                local.add((int)header);
            }
            at += 46L + Short.toUnsignedInt(buffer.getShort(record + 28)) + Short.toUnsignedInt(buffer.getShort(record + 30))
                + Short.toUnsignedInt(buffer.getShort(record + 32));
        }
        return signature == CENTRAL_RECORD ? central : local;
    }
}
