package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A bundle's ZIP archive, opened only after every entry passed inspection, and read only into memory
 * with a bound on the bytes actually inflated.
 *
 * <p>At open the whole central directory is checked, not only the entries the loader will use: a
 * bundle with one hostile entry was made by someone hostile or broken, and is refused as a whole.
 * Refused are names that are not safe canonical paths ({@link ArchivePath}), duplicate names (a
 * verifier and a reader could each see a different one), symbolic links and other special files, and
 * any disagreement between this class's reading of the directory and {@link ZipFile}'s.
 *
 * <p>Nothing here writes to disk. Safe for use by several threads, as {@link ZipFile} is.
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
     * @return the bundle file.
     */
    Path file()
    {
        return file;
    }

    /**
     * @param name an entry name.
     * @return true when the archive holds a file entry with this name.
     */
    boolean contains(final String name)
    {
        return names.contains(name);
    }

    /**
     * Reads one entry into memory. The bound applies to the bytes inflated, not to the size the
     * archive declares, which a zip bomb can falsify.
     *
     * @param name     the entry name.
     * @param maxBytes the most bytes the entry may hold.
     * @return the entry's bytes.
     * @throws PluginLoadException when the entry is missing, larger than the bound or unreadable.
     */
    byte[] read(final String name, final long maxBytes) throws PluginLoadException
    {
        final ZipEntry entry = names.contains(name) ? zip.getEntry(name) : null;
        if (entry == null || entry.isDirectory())
        {
            throw new PluginLoadException("bundle " + file + " has no entry " + name);
        }
        if (entry.getSize() > maxBytes)
        {
            throw tooLarge(name, maxBytes);
        }
        try (InputStream in = zip.getInputStream(entry))
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream((int)Math.min(Math.max(entry.getSize(), 0), READ_CHUNK));
            final byte[] chunk = new byte[READ_CHUNK];
            long total = 0;
            int read;
            while ((read = in.read(chunk, 0, (int)Math.min(chunk.length, maxBytes - total + 1))) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw tooLarge(name, maxBytes);
                }
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot read entry " + name + " of bundle " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close()
    {
        closeQuietly(zip);
    }

    private PluginLoadException tooLarge(final String name, final long maxBytes)
    {
        return new PluginLoadException("entry " + name + " of bundle " + file + " is larger than the bound of "
            + maxBytes + " bytes (a zip bomb, or raise BundleLoader.Builder.maxEntryBytes)");
    }

    private static PluginLoadException refused(final Path file, final String name, final String why)
    {
        return new PluginLoadException("bundle " + file + " is refused: entry '" + printable(name) + "': " + why);
    }

    /** Entry names come from the attacker: keep control characters out of log lines. */
    private static String printable(final String name)
    {
        final StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }

    private static void closeQuietly(final ZipFile zip)
    {
        try
        {
            zip.close();
        }
        catch (final IOException ignored)
        {
            // Read-only file: nothing was written that a failed close could lose.
        }
    }
}
