package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A bundle's ZIP archive, opened only after every entry passed inspection, and read with a bound on
 * the bytes actually inflated: small entries into memory, the library streamed in fixed-size chunks.
 *
 * <p>At open the whole central directory is checked, not only the entries the loader will use: a
 * bundle with one hostile entry was made by someone hostile or broken, and is refused as a whole.
 * Refused are names that are not safe canonical paths ({@link ArchivePath}), duplicate names (a
 * verifier and a reader could each see a different one), symbolic links and other special files, and
 * any disagreement between this class's reading of the directory and {@link ZipFile}'s.
 *
 * <p>Nothing here writes to disk (a {@link Sink} may). Safe for use by several threads, as {@link ZipFile} is.
 */
final class BundleArchive implements AutoCloseable
{
    private static final int READ_CHUNK = 64 * 1024;

    private final Path file;
    private final ZipFile zip;
    private final Set<String> names;

    private BundleArchive(final Path file, final ZipFile zip, final Set<String> names)
    {
        this.file = file;
        this.zip = zip;
        this.names = names;
    }

    /**
     * Returns the inspected archive; close it.
     *
     * @param file the bundle.
     * @return the inspected archive; close it.
     * @throws PluginLoadException naming the first entry that is refused, or when the file is not a ZIP.
     */
    static BundleArchive open(final Path file) throws PluginLoadException
    {
        final List<CentralDirectory.Record> records = CentralDirectory.read(file);
        final Set<String> names = new HashSet<>();
        for (final CentralDirectory.Record record : records)
        {
            final String problem = ArchivePath.problem(record.name(), record.isDirectory());
            if (problem != null)
            {
                throw refused(file, record.name(), "its name " + problem);
            }
            if (!record.isPlainFileOrDirectory())
            {
                throw refused(file, record.name(), "it is a " + record.typeName() + ", not a regular file");
            }
            if (!names.add(record.name()))
            {
                throw refused(file, record.name(), "the archive holds two entries with this name");
            }
        }
        final ZipFile zip;
        try
        {
            zip = new ZipFile(file.toFile());
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot open bundle " + file + " as a ZIP archive: " + e.getMessage(), e);
        }
        final List<String> zipNames = new ArrayList<>(records.size());
        zip.stream().forEach(entry -> zipNames.add(entry.getName()));
        if (!zipNames.equals(records.stream().map(CentralDirectory.Record::name).toList()))
        {
            closeQuietly(zip);
            throw new PluginLoadException("bundle " + file + " is refused: java.util.zip reads its entries differently"
                + " from the central directory check, a sign of a crafted archive");
        }
        return new BundleArchive(file, zip, Collections.unmodifiableSet(names));
    }

    /**
     * Returns the bundle file.
     *
     * @return the bundle file.
     */
    Path file()
    {
        return file;
    }

    /**
     * Returns true when the archive holds a file entry with this name.
     *
     * @param name an entry name.
     * @return true when the archive holds a file entry with this name.
     */
    boolean contains(final String name)
    {
        return names.contains(name);
    }

    /**
     * Reads one entry into memory: for the manifest, signatures and schemas, never the library. The
     * array grows with the bytes actually inflated, up to the size the archive declares, so a lying
     * header can't make it allocate more than the entry holds.
     *
     * @param name     the entry name.
     * @param maxBytes the most bytes the entry may hold, at most {@link Integer#MAX_VALUE} - 8.
     * @return the entry's bytes.
     * @throws PluginLoadException as {@link #copy(String, long, Sink)} does.
     */
    byte[] read(final String name, final long maxBytes) throws PluginLoadException
    {
        final long limit = Math.min(declaredSize(entry(name), maxBytes), maxBytes);
        final GrowingArray array = new GrowingArray((int)Math.min(limit, READ_CHUNK), (int)limit);
        try
        {
            copy(name, maxBytes, array);
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("an in-memory array does not fail to grow", e);
        }
        return array.toArray();
    }

    /**
     * Streams one entry to {@code sink}, one chunk at a time, through a single buffer of
     * {@value #READ_CHUNK} bytes, so memory does not depend on the entry's size. Reading stops and the
     * entry is refused at the first byte past the size the archive declares for it or past
     * {@code maxBytes}: the bound applies to the bytes inflated, which a zip bomb can't falsify.
     *
     * @param name     the entry name.
     * @param maxBytes the most bytes the entry may hold.
     * @param sink     receives the bytes; what it has received is incomplete when this method throws.
     * @return the number of bytes the entry holds.
     * @throws PluginLoadException when the entry is missing, larger than a bound or unreadable.
     * @throws IOException         when {@code sink} throws it (a full disk, say).
     */
    long copy(final String name, final long maxBytes, final Sink sink) throws PluginLoadException, IOException
    {
        final ZipEntry entry = entry(name);
        final long declared = declaredSize(entry, maxBytes);
        final long limit = Math.min(declared, maxBytes);
        final InputStream in;
        try
        {
            in = zip.getInputStream(entry);
        }
        catch (final IOException e)
        {
            throw cannotRead(name, e);
        }
        try
        {
            final byte[] chunk = new byte[READ_CHUNK];
            long total = 0;
            while (true)
            {
                // One byte more than the limit allows is asked for, so an overlong entry is seen at once.
                final int read = read(in, chunk, (int)Math.min(chunk.length, limit - total + 1), name);
                if (read < 0)
                {
                    return total;
                }
                total += read;
                if (total > limit)
                {
                    throw total > maxBytes ? tooLarge(name, maxBytes) : longerThanDeclared(name, declared);
                }
                sink.accept(chunk, read);
            }
        }
        finally
        {
            closeQuietly(in);
        }
    }

    /**
     * Receives an entry's bytes in order. The chunk is reused once {@link #accept} returns.
     */
    @FunctionalInterface
    interface Sink
    {
        /**
         * @param chunk  holds the next bytes of the entry in {@code [0, length)}.
         * @param length how many; at least 1.
         * @throws IOException when the bytes can't be stored.
         */
        void accept(byte[] chunk, int length) throws IOException;
    }

    @Override
    public void close()
    {
        closeQuietly(zip);
    }

    private ZipEntry entry(final String name) throws PluginLoadException
    {
        final ZipEntry entry = names.contains(name) ? zip.getEntry(name) : null;
        if (entry == null || entry.isDirectory())
        {
            throw new PluginLoadException("bundle " + file + " has no entry " + UntrustedText.escape(name));
        }
        return entry;
    }

    /**
     * Returns the size the archive declares for the entry; refuses one declared beyond the bound before reading.
     *
     * @return the size the archive declares for the entry; refuses one declared beyond the bound before reading.
     */
    private long declaredSize(final ZipEntry entry, final long maxBytes) throws PluginLoadException
    {
        final long declared = entry.getSize();
        if (declared > maxBytes)
        {
            throw tooLarge(entry.getName(), maxBytes);
        }
        return declared < 0 ? maxBytes : declared;
    }

    private int read(final InputStream in, final byte[] chunk, final int length, final String name) throws PluginLoadException
    {
        try
        {
            return in.read(chunk, 0, length);
        }
        catch (final IOException e)
        {
            throw cannotRead(name, e);
        }
    }

    private PluginLoadException cannotRead(final String name, final IOException e)
    {
        return new PluginLoadException("cannot read entry " + UntrustedText.escape(name) + " of bundle " + file + ": "
            + UntrustedText.escape(e.getMessage()), e);
    }

    private PluginLoadException tooLarge(final String name, final long maxBytes)
    {
        return new PluginLoadException("entry " + UntrustedText.escape(name) + " of bundle " + file + " is larger than the bound of "
            + maxBytes + " bytes (a zip bomb, or raise BundleLoader.Builder.maxEntryBytes)");
    }

    private PluginLoadException longerThanDeclared(final String name, final long declared)
    {
        return new PluginLoadException("entry " + UntrustedText.escape(name) + " of bundle " + file + " inflates to more than the "
            + declared + " bytes the archive declares for it (a zip bomb or a damaged archive)");
    }

    private static PluginLoadException refused(final Path file, final String name, final String why)
    {
        return new PluginLoadException("bundle " + file + " is refused: entry '" + UntrustedText.escape(name) + "': " + why);
    }

    private static void closeQuietly(final Closeable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final IOException ignored)
        {
            // Read-only file: nothing was written that a failed close could lose.
        }
    }

    /**
     * An array that grows with the bytes received, by doubling, up to a cap: the size the archive
     * declares, which {@link #copy} enforces, so it never holds more than the entry.
     */
    private static final class GrowingArray implements Sink
    {
        private final int cap;
        private byte[] bytes;
        private int size;

        GrowingArray(final int initial, final int cap)
        {
            this.bytes = new byte[initial];
            this.cap = cap;
        }

        @Override
        public void accept(final byte[] chunk, final int length)
        {
            if (size + length > bytes.length)
            {
                bytes = Arrays.copyOf(bytes, (int)Math.min(cap, Math.max(size + length, 2L * bytes.length)));
            }
            System.arraycopy(chunk, 0, bytes, size, length);
            size += length;
        }

        byte[] toArray()
        {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}
