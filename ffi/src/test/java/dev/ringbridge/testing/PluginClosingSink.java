package dev.ringbridge.testing;

import dev.ringbridge.ffi.LogLevel;
import dev.ringbridge.ffi.LogSink;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginLoadException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A log sink that tries to close its own plugin when the plugin logs a given message: the re-entrant close that
 * must be refused at once instead of deadlocking (the sink runs inside {@code plugin_call}). It keeps every
 * refusal it got, so a test can check how the close was refused.
 */
public final class PluginClosingSink implements LogSink
{
    private final String trigger;
    private final AtomicReference<NativePlugin> plugin = new AtomicReference<>();
    private final List<Throwable> refusals = new CopyOnWriteArrayList<>();

    private PluginClosingSink(final String trigger)
    {
        this.trigger = trigger;
    }

    /**
     * Loads the sample plugin with a sink that closes it on {@code trigger}.
     *
     * @param trigger the logged message that makes the sink close the plugin.
     * @return the sink; its plugin is {@link #plugin()}.
     * @throws PluginLoadException when the sample plugin does not load.
     */
    public static PluginClosingSink loadSamplePlugin(final String trigger) throws PluginLoadException
    {
        final PluginClosingSink sink = new PluginClosingSink(trigger);
        sink.plugin.set(NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), sink));
        return sink;
    }

    /**
     * @return the plugin this sink logs for.
     */
    public NativePlugin plugin()
    {
        return plugin.get();
    }

    /**
     * @return the exceptions the close attempts got, in order.
     */
    public List<Throwable> refusals()
    {
        return refusals;
    }

    @Override
    public void log(final LogLevel level, final String target, final String message)
    {
        if (message.equals(trigger))
        {
            try
            {
                plugin.get().close();
            }
            catch (final RuntimeException e)
            {
                refusals.add(e);
            }
        }
    }
}
