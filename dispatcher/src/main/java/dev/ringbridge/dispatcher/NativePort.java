package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;

import java.lang.foreign.MemorySegment;

/**
 * The real {@link PluginPort}: a {@link NativePlugin} and the owner thread's {@link CallSession} on it. Every call
 * forwards to one method of the session; the only implementation loaded outside tests, so the JIT inlines it.
 */
final class NativePort implements PluginPort
{
    private final NativePlugin plugin;
    /** Opened and used by the owner thread only. */
    private CallSession session;

    NativePort(final NativePlugin plugin)
    {
        this.plugin = plugin;
    }

    @Override
    public void open()
    {
        session = plugin.openSession();
    }

    @Override
    public byte[] exchange(final MemorySegment typeTag, final byte[] request) throws PluginException
    {
        return session.exchange(typeTag, request);
    }

    @Override
    public byte[] exchangeRaw(final int messageId, final byte[] request) throws PluginException
    {
        return session.exchangeRaw(messageId, request);
    }

    @Override
    public long exchangeRaw(final int messageId, final MemorySegment request, final MemorySegment response) throws PluginException
    {
        return session.exchangeRaw(messageId, request, response);
    }

    @Override
    public int lastErrorCode()
    {
        return session.lastErrorCode();
    }

    @Override
    public byte[] lastErrorBody()
    {
        return session.lastErrorBody();
    }

    @Override
    public void release(final boolean closePlugin)
    {
        try
        {
            if (session != null)
            {
                session.close();
            }
        }
        finally
        {
            if (closePlugin)
            {
                plugin.close();
            }
        }
    }

    @Override
    public boolean hasBinaryTransport()
    {
        return plugin.hasBinaryTransport();
    }

    @Override
    public boolean isFailed()
    {
        return plugin.isFailed();
    }

    @Override
    public boolean isClosed()
    {
        return plugin.isClosed();
    }

    @Override
    public String name()
    {
        return plugin.name();
    }
}
