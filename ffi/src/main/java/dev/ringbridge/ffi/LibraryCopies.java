package dev.ringbridge.ffi;

import java.io.IOException;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The process's mapped copies of plugin libraries, and the free list that reuses them.
 *
 * <p>Every {@link NativePlugin} runs alone in a mapped copy of its library (see {@link PluginLibrary} for why).
 * A copy cannot be unmapped, so instead of mapping a new one per load, a copy whose instance has shut down goes
 * back to a free list keyed by the library's content (sha256) and serves the next load of the same bytes. The
 * number of copies mapped for one library is therefore the most instances of it alive at once, not the number of
 * loads: a service that reloads a plugin, or a pool that restarts instances, stays flat.
 *
 * <p>Copies are files of one private directory ({@value #DIRECTORY_PROPERTY}, default {@code java.io.tmpdir}),
 * written from the bytes that were hashed, so what is mapped is what the key names, and kept until the JVM exits: the
 * dynamic linker recognises a library by path and by inode, so a deleted copy's inode reused by a later file would
 * make {@code dlopen} return the old mapping. The directory must allow execution (not a {@code noexec} mount).
 *
 * <p>Thread-safe: loads and releases serialise on this class; hashing and copying run outside the lock.
 */
final class LibraryCopies
{
    /** System property naming the directory under which copies are written; {@code java.io.tmpdir} by default. */
    static final String DIRECTORY_PROPERTY = "ringbridge.library.dir";

    private static final Map<String, ArrayDeque<PluginLibrary>> FREE = new HashMap<>();
    /** Content that was mapped and is not a plugin: refused again without mapping another copy. */
    private static final Map<String, String> NOT_A_PLUGIN = new HashMap<>();
    private static Path directory;
    private static int copiesWritten;

    private LibraryCopies()
    {
    }

    /**
     * A copy of {@code library}'s content that no live instance uses: a free one, or a new one.
     *
     * @param library the library file the user named, resolved to its real path.
     * @return a copy for the caller's instance alone; give it back with {@link #release}.
     * @throws PluginLoadException when the file cannot be read, is not a shared library, or is not a plugin.
     */
    static PluginLibrary acquire(final Path library) throws PluginLoadException
    {
        final byte[] content = read(library);
        final String key = sha256(content);
        synchronized (LibraryCopies.class)
        {
            final String refused = NOT_A_PLUGIN.get(key);
            if (refused != null)
            {
                throw new PluginLoadException(library + " has the content of a library refused before: " + refused);
            }
            final ArrayDeque<PluginLibrary> free = FREE.get(key);
            if (free != null && !free.isEmpty())
            {
                return free.pop();
            }
        }
        final Path file = write(content, library);
        final SymbolLookup lookup;
        try
        {
            lookup = PluginLibrary.map(file, library);
        }
        catch (final PluginLoadException e)
        {
            // Nothing was mapped: the copy may go.
            deleteQuietly(file);
            throw e;
        }
        try
        {
            return new PluginLibrary(key, file, PluginSymbols.resolve(lookup, library), new LogRouter());
        }
        catch (final PluginLoadException e)
        {
            // Mapped for good: remember the verdict so that loading the same bytes again maps nothing more.
            synchronized (LibraryCopies.class)
            {
                NOT_A_PLUGIN.put(key, e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Gives a copy back once no instance runs in it any more (its instance shut down, or never started).
     *
     * @param copy a copy from {@link #acquire}, released once.
     */
    static void release(final PluginLibrary copy)
    {
        synchronized (LibraryCopies.class)
        {
            FREE.computeIfAbsent(copy.contentKey(), k -> new ArrayDeque<>()).push(copy);
        }
    }

    private static byte[] read(final Path library) throws PluginLoadException
    {
        try
        {
            final long size = Files.readAttributes(library, BasicFileAttributes.class).size();
            if (size > Integer.MAX_VALUE - 16)
            {
                throw new PluginLoadException("plugin library " + library + " is too large to load (" + size + " bytes)");
            }
            return Files.readAllBytes(library);
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot read plugin library " + library + ": " + e, e);
        }
    }

    private static Path write(final byte[] content, final Path library) throws PluginLoadException
    {
        try
        {
            final Path file;
            synchronized (LibraryCopies.class)
            {
                file = directory().resolve((++copiesWritten) + "-" + library.getFileName());
            }
            Files.write(file, content);
            file.toFile().deleteOnExit();
            return file;
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot write a private copy of plugin library " + library + " under "
                + System.getProperty(DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir")) + " (set -D"
                + DIRECTORY_PROPERTY + " to a writable directory that allows execution): " + e, e);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // deleteOnExit still has it.
        }
    }

    /** Caller holds the class lock. */
    private static Path directory() throws IOException
    {
        if (directory == null)
        {
            final Path base = Path.of(System.getProperty(DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            final Path created = Files.createTempDirectory(base, "ringbridge-libraries-");
            // deleteOnExit runs in reverse order of registration: the directory after the copies in it.
            created.toFile().deleteOnExit();
            directory = created;
        }
        return directory;
    }

    private static String sha256(final byte[] content)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
