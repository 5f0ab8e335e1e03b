package dev.ringbridge.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A plugin library file, opened once per process and never unloaded, with its symbols and its log router.
 *
 * <p>Why never unloaded: a Rust library registers thread-local destructors in every thread that
 * calls it (std does, Tokio does). After {@code dlclose}, the next such thread to exit runs a
 * destructor in unmapped code and the JVM dies with SIGSEGV; we saw exactly that in our tests.
 * The host cannot know whether a plugin did this, so it keeps every library it opened, as
 * {@code System.loadLibrary} does. Instances are still created and shut down freely.
 */
final class PluginLibrary
{
    private static final ConcurrentMap<Path, PluginLibrary> OPEN = new ConcurrentHashMap<>();

    private final PluginSymbols symbols;
    private final LogRouter logRouter;

    private PluginLibrary(final PluginSymbols symbols, final LogRouter logRouter)
    {
        this.symbols = symbols;
        this.logRouter = logRouter;
    }

    /**
     * Returns the opened library.
     *
     * @param realPath the library's real path.
     * @return the opened library.
     * @throws PluginLoadException when the file is not a loadable shared library or lacks a required symbol.
     */
    static PluginLibrary open(final Path realPath) throws PluginLoadException
    {
        final PluginLibrary open = OPEN.get(realPath);
        if (open != null)
        {
            return open;
        }
        synchronized (OPEN)
        {
            final PluginLibrary raced = OPEN.get(realPath);
            if (raced != null)
            {
                return raced;
            }
            final SymbolLookup lookup;
            try
            {
                lookup = SymbolLookup.libraryLookup(realPath, Arena.global());
            }
            catch (final IllegalArgumentException e)
            {
                throw new PluginLoadException("not a loadable shared library: " + realPath + " (" + e.getMessage() + ")", e);
            }
            // A file without the plugin symbols stays mapped too: harmless, and it cannot be unmapped safely either.
            final PluginLibrary library = new PluginLibrary(PluginSymbols.resolve(lookup, realPath), new LogRouter());
            OPEN.put(realPath, library);
            return library;
        }
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
