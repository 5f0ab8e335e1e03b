package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;

import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Another contender whose blocking call is {@code submit().join()}: how most Java users wait for a result
 * when an API hands them a future. For ringbridge it times the future's wait against {@code call()}, which
 * spins before it parks. The wrapped contender's asynchronous path is unchanged.
 */
public final class SubmitJoinContender implements Contender
{
    private final Contender delegate;

    /**
     * @param delegate an asynchronous contender; this one closes it.
     */
    public SubmitJoinContender(final Contender delegate)
    {
        if (delegate.kind().synchronous())
        {
            throw new IllegalArgumentException(delegate.label() + " returns no future to join");
        }
        this.delegate = delegate;
    }

    @Override
    public ContenderKind kind()
    {
        return delegate.kind();
    }

    @Override
    public String label()
    {
        return delegate.label() + " submit().join()";
    }

    @Override
    public Caller open(final Workload workload)
    {
        return new JoiningCaller(delegate.open(workload));
    }

    @Override
    public Optional<Thread> worker()
    {
        return delegate.worker();
    }

    @Override
    public void close()
    {
        delegate.close();
    }

    private record JoiningCaller(Caller caller) implements Caller
    {
        @Override
        public void call() throws Exception
        {
            caller.submit().get();
        }

        @Override
        public Future<?> submit() throws Exception
        {
            return caller.submit();
        }

        @Override
        public void close()
        {
            caller.close();
        }
    }
}
