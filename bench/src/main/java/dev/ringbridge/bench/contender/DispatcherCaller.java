package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.dispatcher.CallType;
import dev.ringbridge.dispatcher.Dispatcher;

import java.util.concurrent.Future;

/**
 * A producer's calls through ringbridge, a single dispatcher or a pool alike: blocking calls use {@code call}, or for
 * the binary workload {@code callRaw} with the caller's own buffers (no future, no copy); asynchronous calls use
 * {@code submit}.
 */
final class DispatcherCaller implements Caller
{
    private final Dispatcher dispatcher;
    private final Workload workload;
    private final CallBuffers buffers;
    private final CallType<String, String> json;
    private final CallType<byte[], byte[]> binary = CallType.binary(Workload.BINARY_MESSAGE_ID);

    DispatcherCaller(final Dispatcher dispatcher, final Workload workload)
    {
        this.dispatcher = dispatcher;
        this.workload = workload;
        this.buffers = workload.binary() ? new CallBuffers() : null;
        this.json = workload.binary() ? null : CallType.json(workload.typeTag());
    }

    @Override
    public void call() throws Exception
    {
        if (buffers != null)
        {
            dispatcher.callRaw(Workload.BINARY_MESSAGE_ID, buffers.request(), buffers.response());
        }
        else
        {
            dispatcher.call(json, workload.json());
        }
    }

    @Override
    public Future<?> submit() throws InterruptedException
    {
        return buffers != null
            ? dispatcher.submit(binary, buffers.requestBytes())
            : dispatcher.submit(json, workload.json());
    }

    @Override
    public void close()
    {
        if (buffers != null)
        {
            buffers.close();
        }
    }
}
