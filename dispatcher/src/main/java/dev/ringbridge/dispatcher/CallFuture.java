package dev.ringbridge.dispatcher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one dispatched call.
 *
 * <p>It behaves as a {@link CompletableFuture} with two differences that keep the owner thread safe:
 * a blocking {@code get}/{@code join} on the dispatcher's own thread, which would wait for itself,
 * fails at once with {@link IllegalStateException}; and the {@code *Async} methods without an executor
 * use the dispatcher's completion executor when one was configured. Futures derived from this one
 * ({@code thenApply} and so on) inherit both.
 *
 * @param <T> the result type.
 */
public final class CallFuture<T> extends CompletableFuture<T> implements Completion
{
    private final Thread owner;
    private final Executor asyncExecutor;

    CallFuture(final Thread owner, final Executor asyncExecutor)
    {
        this.owner = owner;
        this.asyncExecutor = asyncExecutor;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void succeed(final Object result)
    {
        complete((T)result);
    }

    @Override
    public void fail(final Throwable failure)
    {
        completeExceptionally(failure);
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
        return new CallFuture<>(owner, asyncExecutor);
    }

    @Override
    public Executor defaultExecutor()
    {
        return asyncExecutor != null ? asyncExecutor : super.defaultExecutor();
    }

    /**
     * Waits for the result: spins up to {@code spinNanos} (not on virtual threads, whose carriers are
     * shared), then parks.
     */
    T await(final long spinNanos) throws InterruptedException, ExecutionException
    {
        spin(spinNanos);
        return get();
    }

    T await(final long spinNanos, final long timeoutNanos) throws InterruptedException, ExecutionException, TimeoutException
    {
        final long start = System.nanoTime();
        spin(Math.min(spinNanos, timeoutNanos));
        return get(Math.max(0, timeoutNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
    }

    private void spin(final long spinNanos)
    {
        if (spinNanos <= 0 || isDone() || Thread.currentThread().isVirtual())
        {
            return;
        }
        final long deadline = System.nanoTime() + spinNanos;
        int spins = 0;
        while (!isDone())
        {
            CallerSpin.pause(++spins);
            if (System.nanoTime() - deadline > 0)
            {
                return;
            }
        }
    }

    private void checkNotOwner()
    {
        if (Thread.currentThread() == owner && !isDone())
        {
            throw new IllegalStateException("blocking on a ringbridge call from the dispatcher's own thread \""
                + owner.getName() + "\" would wait for itself; chain with thenApply/whenComplete instead,"
                + " or configure a completion executor for slow callbacks");
        }
    }
}
