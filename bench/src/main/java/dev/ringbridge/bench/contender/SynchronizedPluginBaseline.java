package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.NativePlugin;

import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The baseline contender: producers submit to a {@link SynchronizedPlugin} and, for a blocking call,
 * wait on the returned future with {@code get()}, as the seeds' {@code call} does.
 */
final class SynchronizedPluginBaseline implements Contender
{
    private final SynchronizedPlugin synchronizedPlugin;

    SynchronizedPluginBaseline(final NativePlugin plugin, final int capacity)
    {
        this.synchronizedPlugin = new SynchronizedPlugin(plugin, capacity, false);
    }

    @Override
    public ContenderKind kind()
    {
        return ContenderKind.BASELINE;
    }

    @Override
    public Caller open(final Workload workload)
    {
        return new BaselineCaller(synchronizedPlugin, workload);
    }

    @Override
    public Optional<Thread> worker()
    {
        return Optional.of(synchronizedPlugin.workerThread());
    }

    @Override
    public void close()
    {
        synchronizedPlugin.shutdown();
    }

    /** Submits the workload's request; binary requests go as bytes, the only binary form the queue takes. */
    private static final class BaselineCaller implements Caller
    {
        private final SynchronizedPlugin synchronizedPlugin;
        private final Workload workload;
        private final byte[] binaryRequest;

        BaselineCaller(final SynchronizedPlugin synchronizedPlugin, final Workload workload)
        {
            this.synchronizedPlugin = synchronizedPlugin;
            this.workload = workload;
            this.binaryRequest = workload.binary() ? Workload.binaryRequest() : null;
        }

        @Override
        public void call() throws Exception
        {
            submit().get();
        }

        @Override
        public Future<?> submit() throws InterruptedException
        {
            return binaryRequest != null
                ? synchronizedPlugin.submitRaw(Workload.BINARY_MESSAGE_ID, binaryRequest)
                : synchronizedPlugin.submit(workload.typeTag(), workload.json());
        }

        @Override
        public void close()
        {
            // Nothing per thread.
        }
    }
}
