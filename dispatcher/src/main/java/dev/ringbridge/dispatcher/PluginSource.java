package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginLoadException;

/**
 * Where a {@link PluginPool} gets its instances: one fresh, running plugin per call, at start and at every restart.
 * For example {@code () -> NativePlugin.load(path, config)} or {@code bundle::load}. Each instance runs in a mapped
 * copy of the library of its own (see {@link NativePlugin}), so instances never share the library's globals.
 */
@FunctionalInterface
public interface PluginSource
{
    /**
     * Loads and starts one instance.
     *
     * @return a running plugin that the pool owns from now on (its dispatcher closes it).
     * @throws PluginLoadException when the plugin cannot be loaded or does not start.
     */
    NativePlugin load() throws PluginLoadException;
}
