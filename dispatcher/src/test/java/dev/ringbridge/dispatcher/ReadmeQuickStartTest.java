package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.testing.SamplePlugin;
import dev.ringbridge.ffi.bundle.BundleLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's quick start, kept compiling and passing. */
class ReadmeQuickStartTest
{
    record Echo(String message)
    {
    }

    record Echoed(long length, String message)
    {
    }

    @Test
    void shouldRunTheQuickStartAsWritten() throws Exception
    {
        final Path bundlePath = SamplePlugin.bundle();
        // --- README quick start, from here ---
        NativePlugin plugin = BundleLoader.builder().verifySignatures(false).build().load(bundlePath);
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(plugin).capacity(1024).build())
        {
            CallType<String, String> echo = CallType.json("echo");                    // describe a handler once
            CallType<Echo, Echoed> typedEcho = CallType.typed("echo", Echo.class, Echoed.class);
            String json = dispatcher.call(echo, "{\"message\":\"Hello\"}");           // blocks for the result
            CallFuture<String> future = dispatcher.submit(echo, "{\"message\":\"async\"}");
            Echoed typed = dispatcher.call(typedEcho, new Echo("typed"));
            System.out.println(json + " " + future.join() + " " + typed);
            System.out.print(dispatcher.metrics().total().summary());
        } // close(): runs every accepted call, then closes the plugin
        // --- to here ---
        assertEquals(true, plugin.isClosed());
    }
}
