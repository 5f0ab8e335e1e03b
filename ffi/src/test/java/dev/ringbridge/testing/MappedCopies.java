package dev.ringbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How many copies of a library file this process has mapped, as the kernel sees it: distinct files in
 * {@code /proc/self/maps} whose name ends with the library's file name. Counts what is really mapped, not
 * what the host believes.
 */
public final class MappedCopies
{
    private MappedCopies()
    {
    }

    public static int of(final Path library)
    {
        final String name = library.getFileName().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.map(MappedCopies::mappedPath)
                .filter(path -> path.endsWith(name) || path.endsWith(name + " (deleted)"))
                .collect(Collectors.toSet())
                .size();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** The sixth column of a maps line, the path (may contain spaces); empty for anonymous mappings. */
    private static String mappedPath(final String line)
    {
        final int slash = line.indexOf('/');
        return slash < 0 ? "" : line.substring(slash);
    }
}
