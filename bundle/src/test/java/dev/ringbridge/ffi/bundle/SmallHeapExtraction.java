package dev.ringbridge.ffi.bundle;

import dev.ringbridge.ffi.PluginLoadException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Extracts bundles in a JVM of its own with a small heap, to show the loader's memory does not grow
 * with the library: {@link #run} forks {@link #main} and returns one line per bundle, {@code OK <bytes>},
 * {@code REFUSED <message>} or {@code FAILED <throwable>}.
 */
public final class SmallHeapExtraction
{
    private SmallHeapExtraction()
    {
    }

    /**
     * @param heap      the child's {@code -Xmx}, such as {@code 64m}.
     * @param publicKey the trusted key.
     * @param extractTo the extraction directory.
     * @param bundles   the bundles to extract, in order.
     * @return the child's lines, one per bundle.
     */
    static List<String> run(final String heap, final String publicKey, final Path extractTo, final Path... bundles) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), SmallHeapExtraction.class.getName(), publicKey, extractTo.toString()));
        for (final Path bundle : bundles)
        {
            command.add(bundle.toString());
        }
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = out.readLine()) != null)
            {
                lines.add(line);
            }
        }
        if (!child.waitFor(60, TimeUnit.SECONDS))
        {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not finish within 60 s: " + lines);
        }
        return lines;
    }

    /**
     * @param args the trusted public key, the extraction directory, then bundle paths.
     */
    public static void main(final String[] args) throws IOException
    {
        final BundleLoader loader = BundleLoader.builder().publicKey(args[0]).platform(TestBundles.PLATFORM)
            .extractionDirectory(Path.of(args[1])).build();
        for (int i = 2; i < args.length; i++)
        {
            try (ExtractedLibrary library = loader.extract(Path.of(args[i])))
            {
                System.out.println("OK " + Files.size(library.path()));
            }
            catch (final PluginLoadException e)
            {
                System.out.println("REFUSED " + e.getMessage());
            }
            catch (final Throwable t)
            {
                System.out.println("FAILED " + t);
            }
        }
    }
}
