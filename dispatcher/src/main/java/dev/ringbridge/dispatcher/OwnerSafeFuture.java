package dev.ringbridge.dispatcher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link CompletableFuture} behind a {@link CallFuture}'s stage and every future derived from it: a
 * blocking {@code get}/{@code join} on the dispatcher's own thread for a future not yet done fails at once
 * (the owner cannot wait for itself), and the {@code *Async} methods without an executor use the completion
 * executor when one is configured.
 *
 * @param <T> the result type.
 */
final class OwnerSafeFuture<T> extends CompletableFuture<T>
{
    private final CompletionContext context;

    OwnerSafeFuture(final CompletionContext context)
    {
        this.context = context;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException
    {
        checkNotOwner();
        return super.get();
    }

    @Override
    public T get(final long timeout, final TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException
    {
        checkNotOwner();
        return super.get(timeout, unit);
    }

    @Override
    public T join()
    {
        checkNotOwner();
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture()
    {
        return new OwnerSafeFuture<>(context);
    }

    @Override
    public Executor defaultExecutor()
    {
        final Executor executor = context.completionExecutor();
        return executor != null ? executor : super.defaultExecutor();
    }

    private void checkNotOwner()
    {
        if (!isDone())
        {
            context.checkNotOwner();
        }
    }
}
