package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;

import java.util.concurrent.Future;

/**
 * Calls the plugin on the producer thread through the thread's own {@link CallSession}: the same
 * native path a dispatcher's owner thread uses, without any hand-off. The direct and the locked
 * contenders both use it; the locked one wraps each call in its lock.
 *
 * <p><b>Threads.</b> Confined to the thread that opened it (the session checks).
 */
final class SessionCaller implements Caller
{
    private final CallSession session;
    private final Workload workload;
    private final CallBuffers buffers;
    /** Null for the direct contender; otherwise the lock every producer shares. */
    private final Object lock;

    SessionCaller(final NativePlugin plugin, final Workload workload, final Object lock)
    {
        this.session = plugin.openSession();
        this.workload = workload;
        this.buffers = workload.binary() ? new CallBuffers() : null;
        this.lock = lock;
    }

    @Override
    public void call() throws PluginException
    {
        if (lock == null)
        {
            callPlugin();
            return;
        }
        synchronized (lock)
        {
            callPlugin();
        }
    }

    @Override
    public Future<?> submit() throws PluginException
    {
        call();
        return null;
    }

    @Override
    public void close()
    {
        session.close();
        if (buffers != null)
        {
            buffers.close();
        }
    }

    private void callPlugin() throws PluginException
    {
        if (buffers != null)
        {
            session.callRaw(Workload.BINARY_MESSAGE_ID, buffers.request(), buffers.response());
        }
        else
        {
            session.call(workload.typeTag(), workload.json());
        }
    }
}
