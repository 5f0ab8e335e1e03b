package dev.ringbridge.ffi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin C functions of one loaded library, called through the constant handles of
 * {@link Downcalls} with {@code invokeExact}.
 *
 * <p>Every required symbol must be present; the error names each one that is missing. The binary
 * transport is available only when both {@code plugin_call_raw} and {@code rb_response_free} are.
 * Downcalls throw nothing but {@link Error}s, which are rethrown as they are.
 */
record PluginSymbols(
    MemorySegment create,
    MemorySegment init,
    MemorySegment call,
    MemorySegment freeBuffer,
    MemorySegment shutdown,
    MemorySegment getState,
    MemorySegment setLogLevel,
    MemorySegment getRejectedCount,
    MemorySegment callRaw,
    MemorySegment responseFree)
{
    static final List<String> REQUIRED = List.of(
        "plugin_create", "plugin_init", "plugin_call", "plugin_free_buffer", "plugin_shutdown",
        "plugin_get_state", "plugin_set_log_level", "plugin_get_rejected_count");

    static PluginSymbols resolve(final SymbolLookup lookup, final Path library) throws PluginLoadException
    {
        final List<String> missing = new ArrayList<>();
        final MemorySegment[] found = new MemorySegment[REQUIRED.size()];
        for (int i = 0; i < found.length; i++)
        {
            final String name = REQUIRED.get(i);
            found[i] = lookup.find(name).orElse(null);
            if (found[i] == null)
            {
                missing.add(name);
            }
        }
        if (!missing.isEmpty())
        {
            throw new PluginLoadException(
                library + " is not a rustbridge plugin: missing required symbol(s) " + String.join(", ", missing));
        }
        final MemorySegment callRaw = lookup.find("plugin_call_raw").orElse(null);
        final MemorySegment responseFree = lookup.find("rb_response_free").orElse(null);
        final boolean binary = callRaw != null && responseFree != null;
        return new PluginSymbols(
            found[0], found[1], found[2], found[3], found[4], found[5], found[6], found[7],
            binary ? callRaw : null, binary ? responseFree : null);
    }

    boolean hasBinaryTransport()
    {
        return callRaw != null;
    }

    MemorySegment pluginCreate()
    {
        try
        {
            return (MemorySegment)Downcalls.PLUGIN_CREATE.invokeExact(create);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    MemorySegment pluginInit(final MemorySegment plugin, final MemorySegment config, final long length, final MemorySegment callback)
    {
        try
        {
            return (MemorySegment)Downcalls.PLUGIN_INIT.invokeExact(init, plugin, config, length, callback);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** Returns the {@code FfiBuffer} in memory from {@code returnSlot}; free it with {@link #pluginFreeBuffer}. */
    MemorySegment pluginCall(
        final SegmentAllocator returnSlot, final MemorySegment handle, final MemorySegment typeTag,
        final MemorySegment request, final long length)
    {
        try
        {
            return (MemorySegment)Downcalls.PLUGIN_CALL.invokeExact(call, returnSlot, handle, typeTag, request, length);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    void pluginFreeBuffer(final MemorySegment buffer)
    {
        try
        {
            Downcalls.PLUGIN_FREE_BUFFER.invokeExact(freeBuffer, buffer);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    boolean pluginShutdown(final MemorySegment handle)
    {
        try
        {
            return (boolean)Downcalls.PLUGIN_SHUTDOWN.invokeExact(shutdown, handle);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    int pluginGetState(final MemorySegment handle)
    {
        try
        {
            return Byte.toUnsignedInt((byte)Downcalls.PLUGIN_GET_STATE.invokeExact(getState, handle));
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    void pluginSetLogLevel(final MemorySegment handle, final byte level)
    {
        try
        {
            Downcalls.PLUGIN_SET_LOG_LEVEL.invokeExact(setLogLevel, handle, level);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    long pluginGetRejectedCount(final MemorySegment handle)
    {
        try
        {
            return (long)Downcalls.PLUGIN_GET_REJECTED_COUNT.invokeExact(getRejectedCount, handle);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** Returns the {@code RbResponse} in memory from {@code returnSlot}; free it with {@link #rbResponseFree}. */
    MemorySegment pluginCallRaw(
        final SegmentAllocator returnSlot, final MemorySegment handle, final int messageId,
        final MemorySegment request, final long length)
    {
        try
        {
            return (MemorySegment)Downcalls.PLUGIN_CALL_RAW.invokeExact(callRaw, returnSlot, handle, messageId, request, length);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    void rbResponseFree(final MemorySegment response)
    {
        try
        {
            Downcalls.RB_RESPONSE_FREE.invokeExact(responseFree, response);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(final Throwable t)
    {
        if (t instanceof Error error)
        {
            throw error;
        }
        if (t instanceof RuntimeException runtime)
        {
            return runtime;
        }
        return new IllegalStateException("downcall failed", t);
    }
}
