package dev.ringbridge.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;

/**
 * One mapped copy of a plugin library, with its symbols and its log router. Never unmapped; between
 * instances it waits in {@link LibraryCopies}' free list for the next load of the same content.
 *
 * <p>Why never unmapped: a Rust library registers thread-local destructors in every thread that
 * calls it (std does, Tokio does). After {@code dlclose}, the next such thread to exit runs a
 * destructor in unmapped code and the JVM dies with SIGSEGV; we saw exactly that in our tests.
 * The host cannot know whether a plugin did this, so it keeps every copy it mapped, as
 * {@code System.loadLibrary} does, and reuses it instead.
 *
 * <p>Why one instance per copy: the log callback, the log level and the binary-handler map are global
 * per mapped copy, and any instance's {@code plugin_shutdown} clears the callback and the handlers of
 * every instance in that copy (plugin-abi.md sections 1.3, 1.4, 1.6).
 */
final class PluginLibrary
{
    private final String contentKey;
    private final Path mappedFile;
    private final PluginSymbols symbols;
    private final LogRouter logRouter;

    PluginLibrary(final String contentKey, final Path mappedFile, final PluginSymbols symbols, final LogRouter logRouter)
    {
        this.contentKey = contentKey;
        this.mappedFile = mappedFile;
        this.symbols = symbols;
        this.logRouter = logRouter;
    }

    /**
     * Maps {@code file}, which no other copy maps and which stays on disk (a path or inode that the
     * dynamic linker has seen before would return the old mapping).
     *
     * @param file   a file of the caller's copy directory.
     * @param source the library the user named, for messages.
     * @return the file's symbols; from here on the file is mapped for good.
     * @throws PluginLoadException when the file is not a loadable shared library (nothing was mapped).
     */
    static SymbolLookup map(final Path file, final Path source) throws PluginLoadException
    {
        try
        {
            return SymbolLookup.libraryLookup(file, Arena.global());
        }
        catch (final IllegalArgumentException e)
        {
            throw new PluginLoadException("not a loadable shared library: " + source + " (" + e.getMessage() + ")", e);
        }
    }

    String contentKey()
    {
        return contentKey;
    }

    Path mappedFile()
    {
        return mappedFile;
    }

    PluginSymbols symbols()
    {
        return symbols;
    }

    LogRouter logRouter()
    {
        return logRouter;
    }
}
