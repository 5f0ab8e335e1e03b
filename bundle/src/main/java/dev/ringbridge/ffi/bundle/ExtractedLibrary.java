package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.internal.UntrustedText;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A plugin library copied out of a bundle into a fresh directory only its owner can enter, and
 * removed with that directory by {@link #close()}.
 *
 * <p>The directory is new and private ({@code rwx------}) so no other local user can swap the file
 * between the checks and {@code dlopen}. The file is written as the entry streams out of the archive
 * and checked on the way; it is kept only when every check passed, and never re-read from the
 * archive. Only the last segment of the manifest's path names the file, so nothing is written
 * anywhere else. {@link #close()} is idempotent and safe from any thread.
 */
public final class ExtractedLibrary implements AutoCloseable
{
    private static final String DIRECTORY_PREFIX = "ringbridge-plugin-";
    /** For the directory and the library alike: the owner may read, write and map it; nobody else may touch it. */
    private static final String OWNER_ONLY = "rwx------";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path directory;
    private final Path library;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ExtractedLibrary(final Path directory, final Path library)
    {
        this.directory = directory;
        this.library = library;
    }

    /**
     * Writes the library into a new private directory. The file name is checked first, so nothing is
     * created for a name this JVM can't use; once the directory exists, any failure, a refusal by
     * {@code content} included, deletes it before the exception leaves.
     *
     * @param parent   where to create the private directory.
     * @param fileName the library's file name (a single path segment).
     * @param content  writes the library's bytes and checks them; the library is kept only when it returns.
     * @return the written library.
     * @throws PluginLoadException when the name can't be a file name here, the directory or file can't be
     *                             created, or {@code content} refuses the bytes; nothing is left behind.
     */
    static ExtractedLibrary write(final Path parent, final String fileName, final Content content) throws PluginLoadException
    {
        checkFileName(parent, fileName);
        final Path directory;
        try
        {
            directory = POSIX
                ? Files.createTempDirectory(parent, DIRECTORY_PREFIX, ownerOnly())
                : Files.createTempDirectory(parent, DIRECTORY_PREFIX);
        }
        catch (final IOException e)
        {
            throw new PluginLoadException("cannot create a private directory in " + parent + " to extract "
                + UntrustedText.escape(fileName) + ": " + e, e);
        }
        final ExtractedLibrary extracted = new ExtractedLibrary(directory, directory.resolve(fileName));
        try
        {
            // Created exclusively: the directory is new, so an existing file here means something is wrong.
            try (OutputStream out = POSIX
                ? Files.newOutputStream(Files.createFile(extracted.library, ownerOnly()), StandardOpenOption.WRITE)
                : Files.newOutputStream(extracted.library, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
            {
                content.writeTo(out);
            }
            return extracted;
        }
        catch (final PluginLoadException | RuntimeException | Error e)
        {
            extracted.deleteAfter(e);
            throw e;
        }
        catch (final IOException e)
        {
            final PluginLoadException failure = new PluginLoadException("cannot write " + UntrustedText.escape(fileName)
                + " to " + directory + ": " + e, e);
            extracted.deleteAfter(failure);
            throw failure;
        }
    }

    /**
     * Writes and checks the bytes of a library being extracted.
     */
    @FunctionalInterface
    interface Content
    {
        /**
         * @param out the new library file; closed by the caller.
         * @throws PluginLoadException when the bytes are refused.
         * @throws IOException         when they can't be written.
         */
        void writeTo(OutputStream out) throws PluginLoadException, IOException;
    }

    /**
     * A file name is a string only until the JVM turns it into bytes for the file system, in the
     * encoding of {@code sun.jnu.encoding}, which the locale sets: with {@code LC_ALL=C} it is ASCII,
     * and a name such as {@code libé.so} can't be written at all.
     */
    private static void checkFileName(final Path parent, final String fileName) throws PluginLoadException
    {
        final Path resolved;
        try
        {
            resolved = parent.resolve(fileName);
        }
        catch (final InvalidPathException e)
        {
            throw new PluginLoadException("the library's file name '" + UntrustedText.escape(fileName) + "' can't be a file name"
                + " in this JVM, whose file names are encoded as " + System.getProperty("sun.jnu.encoding", "unknown")
                + " (set by the locale, such as LC_ALL=C): run it with a UTF-8 locale (such as LC_ALL=C.UTF-8),"
                + " or give the library an ASCII name in the bundle");
        }
        if (!parent.equals(resolved.getParent()) || !fileName.equals(resolved.getFileName().toString()))
        {
            throw new PluginLoadException("the library's file name '" + UntrustedText.escape(fileName) + "' is not a plain file name");
        }
    }

    /**
     * Returns the extracted library file.
     *
     * @return the extracted library file.
     */
    public Path path()
    {
        return library;
    }

    /**
     * Returns the private directory holding it.
     *
     * @return the private directory holding it.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Deletes the library and its directory. Idempotent. On Linux a plugin still loaded from the
     * file keeps working: its mapping outlives the directory entry.
     *
     * @throws UncheckedIOException when the directory exists but cannot be deleted.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            deleteRecursively(directory);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete extracted plugin directory " + directory, e);
        }
    }

    /**
     * Deletes the directory because {@code failure} is about to be thrown; a failed delete is
     * attached to it rather than hiding it.
     */
    void deleteAfter(final Throwable failure)
    {
        try
        {
            close();
        }
        catch (final UncheckedIOException e)
        {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString()
    {
        return "ExtractedLibrary[" + library + (closed.get() ? ", deleted" : "") + "]";
    }

    private static FileAttribute<?> ownerOnly()
    {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY));
    }

    /** Walks without following links: a link placed in the directory is removed, never its target. */
    private static void deleteRecursively(final Path root) throws IOException
    {
        try
        {
            Files.walkFileTree(root, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path dir, final IOException failure) throws IOException
                {
                    if (failure != null)
                    {
                        throw failure;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final NoSuchFileException alreadyGone)
        {
            // Someone removed it first (a tmp cleaner); the goal is reached.
        }
    }
}
