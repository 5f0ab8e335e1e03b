package dev.ringbridge.ffi;

import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginLoadingTest
{
    @Test
    void shouldLoadWithConfigAndReportActive() throws Exception
    {
        final PluginConfig config = PluginConfig.builder()
            .logLevel(LogLevel.WARN).workerThreads(2).maxConcurrentOps(0).data("greeting", "hi").build();
        try (NativePlugin plugin = NativePlugin.load(SamplePlugin.library(), config))
        {
            assertEquals(LifecycleState.ACTIVE, plugin.state());
            assertTrue(plugin.hasBinaryTransport());
            assertEquals("libsync_demo.so", plugin.name());
        }
    }

    @Test
    void shouldNameAMissingFile(@TempDir final Path dir)
    {
        final Path missing = dir.resolve("libnothing.so");
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> NativePlugin.load(missing));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("libnothing.so"), e.getMessage());
    }

    @Test
    void shouldRefuseAFileThatIsNotASharedLibrary(@TempDir final Path dir) throws Exception
    {
        final Path text = Files.writeString(dir.resolve("libfake.so"), "this is not an ELF file");
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> NativePlugin.load(text));
        assertTrue(e.getMessage().contains("not a loadable shared library"), e.getMessage());
    }

    @Test
    void shouldNameEveryMissingSymbol() throws Exception
    {
        final Path libm = Path.of("/lib/x86_64-linux-gnu/libm.so.6");
        final Path library = Files.exists(libm) ? libm : Path.of("/usr/lib/x86_64-linux-gnu/libm.so.6");
        final PluginLoadException e = assertThrows(PluginLoadException.class, () -> NativePlugin.load(library));
        assertTrue(e.getMessage().contains("missing required symbol(s) plugin_create, plugin_init, plugin_call"), e.getMessage());
    }

    @NeedsSamplePlugin
    @Test
    void shouldReportPluginInitReturningNull()
    {
        final PluginConfig failing = PluginConfig.builder().data("fail_start", true).build();
        final PluginLoadException e = assertThrows(PluginLoadException.class,
            () -> NativePlugin.load(SamplePlugin.library(), failing, (level, target, message) -> { }));
        assertTrue(e.getMessage().contains("plugin_init returned NULL"), e.getMessage());
    }

    @NeedsSamplePlugin
    @Test
    void shouldKeepLoggingSafeAfterAFailedInit() throws Exception
    {
        // A failed init leaves the callback registered in the library; its stub must still be valid.
        final PluginConfig failing = PluginConfig.builder().data("fail_start", true).build();
        assertThrows(PluginLoadException.class, () -> NativePlugin.load(SamplePlugin.library(), failing, (l, t, m) -> { }));
        final java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (NativePlugin plugin = NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), (l, t, m) -> seen.add(m)))
        {
            plugin.call("log", "{\"level\":\"warn\",\"message\":\"after failed init\",\"threads\":1}");
            assertTrue(seen.contains("after failed init"), seen.toString());
        }
    }

    @Test
    void shouldRefuseUnwritableConfigValues()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PluginConfig.builder().data("thread", Thread.currentThread()).build());
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    }

    @Test
    void shouldWriteOnlyTheKeysThatWereSet()
    {
        assertEquals("{}", new String(PluginConfig.defaults().toJson()));
        assertEquals("{\"data\":{\"a\":[1,\"b\",null]},\"log_level\":\"debug\",\"max_concurrent_ops\":4}",
            new String(PluginConfig.builder().data("a", java.util.Arrays.asList(1, "b", null))
                .logLevel(LogLevel.DEBUG).maxConcurrentOps(4).build().toJson()));
    }
}
