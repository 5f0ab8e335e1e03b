package dev.ringbridge.ffi;

import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.MappedCopies;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each instance in a mapped copy of its own, and copies reused rather than leaked. Against the real sample
 * plugin, which keeps its log callback and binary handlers global per copy and clears both at any shutdown,
 * as the ABI's reference does.
 */
class LibraryCopiesTest
{
    private static final String LOG = "{\"level\":\"warn\",\"message\":\"still heard\"}";

    @Test
    void shouldShowTheHazardOfTwoInstancesInOneCopy() throws Exception
    {
        final List<String> heard = new CopyOnWriteArrayList<>();
        try (NativePlugin first = NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), (l, t, m) -> heard.add(m)))
        {
            // What load() avoids: a second instance started in the first one's copy, then closed.
            final NativePlugin second = NativePlugin.start(first.libraryPath(), first.copy(), PluginConfig.defaults(),
                LogSink.systemLogger(), () -> {});
            second.close();

            final PluginException noHandlers = assertThrows(PluginException.class,
                () -> first.callRaw(1, BenchSmall.request("k", 0)));
            assertEquals(ErrorKind.UNKNOWN_MESSAGE_TYPE.code(), noHandlers.errorCode(), noHandlers.getMessage());
            first.call("log", LOG);
            assertTrue(!heard.contains("still heard"), "the second instance's shutdown cleared the first one's log callback: " + heard);
        }
    }

    @Test
    void shouldKeepTheOtherInstancesBinaryCallsAndLogsWhenOneCloses() throws Exception
    {
        final List<String> heard = new CopyOnWriteArrayList<>();
        try (NativePlugin first = NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), (l, t, m) -> heard.add(m)))
        {
            final NativePlugin second = NativePlugin.load(SamplePlugin.library());
            assertNotSame(first.copy(), second.copy());
            second.close();

            assertEquals(BenchSmall.RESPONSE_SIZE, first.callRaw(1, BenchSmall.request("k", 0)).length);
            first.call("log", LOG);
            assertTrue(heard.contains("still heard"), heard.toString());
        }
    }

    @Test
    void shouldMapNoMoreCopiesOverAThousandLoadsAndCloses() throws Exception
    {
        final Path library = SamplePlugin.library();
        SamplePlugin.load().close();
        final int before = MappedCopies.of(library);
        for (int i = 0; i < 1_000; i++)
        {
            try (NativePlugin plugin = NativePlugin.load(library))
            {
                plugin.call("echo", "{\"message\":\"x\"}");
            }
        }
        assertEquals(before, MappedCopies.of(library), "copies mapped after 1,000 load/close cycles");
    }

    @Test
    void shouldMapAsManyCopiesAsInstancesAliveAtOnce() throws Exception
    {
        final Path library = SamplePlugin.library();
        try (NativePlugin a = NativePlugin.load(library); NativePlugin b = NativePlugin.load(library);
             NativePlugin c = NativePlugin.load(library))
        {
            assertEquals(3, List.of(a.copy(), b.copy(), c.copy()).stream().distinct().count());
            final int three = MappedCopies.of(library);
            assertTrue(three >= 3, "three instances alive map at least three copies, saw " + three);
            b.close();
            try (NativePlugin d = NativePlugin.load(library))
            {
                assertSame(b.copy(), d.copy(), "the closed instance's copy serves the next load");
                assertEquals(three, MappedCopies.of(library));
            }
        }
    }

    @Test
    void shouldReuseACopyForTheSameContentUnderAnotherPath(@TempDir final Path dir) throws Exception
    {
        final Path elsewhere = Files.copy(SamplePlugin.library(), dir.resolve(SamplePlugin.library().getFileName()));
        final PluginLibrary copy;
        try (NativePlugin plugin = SamplePlugin.load())
        {
            copy = plugin.copy();
        }
        try (NativePlugin plugin = NativePlugin.load(elsewhere))
        {
            assertSame(copy, plugin.copy(), "same bytes, same copy, whatever the path");
            assertEquals(elsewhere.toRealPath(), plugin.libraryPath());
        }
    }

    @Test
    void shouldNotMapTheSameNonPluginTwice(@TempDir final Path dir) throws Exception
    {
        final Path libm = Files.exists(Path.of("/lib/x86_64-linux-gnu/libm.so.6"))
            ? Path.of("/lib/x86_64-linux-gnu/libm.so.6") : Path.of("/usr/lib/x86_64-linux-gnu/libm.so.6");
        final Path notAPlugin = Files.copy(libm, dir.resolve("libnot-a-plugin.so"));
        final PluginLoadException first = assertThrows(PluginLoadException.class, () -> NativePlugin.load(notAPlugin));
        assertTrue(first.getMessage().contains("missing required symbol"), first.getMessage());
        final int mapped = MappedCopies.of(notAPlugin);
        final PluginLoadException again = assertThrows(PluginLoadException.class, () -> NativePlugin.load(notAPlugin));
        assertTrue(again.getMessage().contains("refused before") && again.getMessage().contains("missing required symbol"),
            again.getMessage());
        assertEquals(mapped, MappedCopies.of(notAPlugin));
    }
}
