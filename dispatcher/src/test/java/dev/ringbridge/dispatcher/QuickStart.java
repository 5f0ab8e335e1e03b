package dev.ringbridge.dispatcher;

import dev.ringbridge.dispatcher.CallFuture;
import dev.ringbridge.dispatcher.CallType;
import dev.ringbridge.dispatcher.PluginDispatcher;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.bundle.BundleLoader;

import java.nio.file.Path;

public final class QuickStart
{
    // The sample plugin's echo handler: {"message": "..."} in, {"length": n, "message": "..."} out (snake_case JSON).
    public record Echo(String message) {}
    public record Echoed(long length, String message) {}

    public static void main(final String[] args) throws InterruptedException
    {
        Path bundlePath = Path.of(args.length > 0 ? args[0] : "sync-demo-0.1.0.rbp");
        NativePlugin plugin;
        try
        {
            // For development: signatures off. In production, publicKey("RW...") with the key you trust.
            plugin = BundleLoader.builder().verifySignatures(false).build().load(bundlePath);
        }
        catch (PluginLoadException e)
        {
            System.err.println("cannot load " + bundlePath + ": " + e.getMessage());
            return;
        }
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
        catch (PluginException e)
        {
            System.err.println("the plugin answered error " + e.errorCode() + " (" + e.kind() + "): " + e.getMessage());
        }
    }
}
