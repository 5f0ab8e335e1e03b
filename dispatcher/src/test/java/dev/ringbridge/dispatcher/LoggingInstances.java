package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.LogLevel;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.testing.SamplePlugin;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PluginSource} of sample-plugin instances that each log to a sink of their own. The sample's {@code log}
 * handler logs on the calling thread, inside the call, so an instance's sink receives messages in the order the
 * instance ran the calls: the test sees which instance ran a call, and in which order, from the plugin itself.
 */
final class LoggingInstances implements PluginSource
{
    /** Every instance loaded, in load order: what each one logged. */
    final List<Queue<String>> logs = new CopyOnWriteArrayList<>();

    @Override
    public NativePlugin load() throws PluginLoadException
    {
        final Queue<String> log = new ConcurrentLinkedQueue<>();
        final NativePlugin plugin = NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), (level, target, message) ->
        {
            if (level == LogLevel.WARN)
            {
                log.add(message);
            }
        });
        logs.add(log);
        return plugin;
    }

    /** The request that makes an instance log {@code message} at WARN. */
    static String logRequest(final String message)
    {
        return "{\"level\":\"warn\",\"message\":\"" + message + "\"}";
    }

    /** The index (load order) of the one instance that logged {@code message}. */
    int instanceThatLogged(final String message)
    {
        int found = -1;
        for (int i = 0; i < logs.size(); i++)
        {
            if (logs.get(i).contains(message))
            {
                if (found >= 0)
                {
                    throw new AssertionError(message + " was logged by instances " + found + " and " + i);
                }
                found = i;
            }
        }
        return found;
    }
}
