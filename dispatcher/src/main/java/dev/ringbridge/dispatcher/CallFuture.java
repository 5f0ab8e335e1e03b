package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one submitted call: a {@link Future} and a {@link CompletionStage}, which only the
 * dispatcher completes.
 *
 * <p><b>Waiting.</b> {@link #get()} and {@link #join()} spin briefly as a blocking {@code call} does (never on
 * virtual threads), then park; a result that arrives within the spin costs no wake-up. On the dispatcher's
 * own thread a blocking wait for a call not yet done fails at once with {@link IllegalStateException}: the
 * owner cannot wait for itself. Futures derived from this one carry the same check.
 *
 * <p><b>Decoding.</b> The owner thread hands over the plugin's bytes undecoded. They are decoded once, by
 * the first thread that reads the result: the caller in {@code get}/{@code join}, or where the dependent
 * stages run (the completion executor when configured, else the owner thread, which runs them anyway).
 * A result nobody reads is never decoded.
 *
 * <p><b>Cancelling</b> completes this future with a {@link CancellationException} at once. What happens to the
 * call depends on where it is: the owner thread reads the future's state (one volatile read) just before it would
 * enter the plugin, so a call cancelled before that point is skipped, the plugin never sees it, and it is counted as
 * {@linkplain DispatcherMetrics#cancelledCount() cancelled}; a call the owner has already started runs to its end
 * (native code cannot be interrupted) and its result is dropped. A cancel racing with the start may land on either
 * side; either way the future reports the cancellation.
 *
 * <p><b>As a stage.</b> The {@link CompletionStage} methods behave as {@link CompletableFuture}'s; their
 * {@code *Async} forms without an executor run on the completion executor when one is configured.
 * {@link #toCompletableFuture()} returns a new dependent future each time: completing it completes nothing here.
 *
 * @param <R> the result type.
 */
public final class CallFuture<R> extends DelegatedStage<R> implements Future<R>
{
    private static final Object NULL_RESULT = new Object();
    private static final VarHandle STAGE;
    private static final VarHandle OUTCOME;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STAGE = lookup.findVarHandle(CallFuture.class, "stage", CompletableFuture.class);
            OUTCOME = lookup.findVarHandle(CallFuture.class, "outcome", Object.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CompletionContext context;
    private final CallType<?, R> type;
    /**
     * The stage that dependents attach to, created on first use. Its creator CASes it in, then reads the state;
     * the owner CASes the state, then reads this field: all volatile, so at least one of them sees the other
     * and completes the stage (completing twice is harmless).
     */
    private volatile CompletableFuture<R> stage;
    /** The decoded result ({@link #NULL_RESULT} for null) or a {@link Failure}: set once by CAS. */
    private volatile Object outcome;

    CallFuture(final CompletionContext context, final CallType<?, R> type)
    {
        this.context = context;
        this.type = type;
    }

    // ---- Future ----------------------------------------------------------------------------------

    @Override
    public boolean isDone()
    {
        return super.isDone();
    }

    /**
     * Completes this future with a {@link CancellationException} unless it is already complete. If the owner thread
     * has not started the call yet, it skips it without entering the plugin; a started call runs to its end and its
     * result is dropped.
     *
     * @param mayInterruptIfRunning ignored: native code cannot be interrupted.
     * @return true when this cancelled the future.
     */
    @Override
    public boolean cancel(final boolean mayInterruptIfRunning)
    {
        if (!cancelAnswer())
        {
            return false;
        }
        final CompletableFuture<R> attached = stage;
        if (attached != null)
        {
            attached.cancel(false);
        }
        return true;
    }

    @Override
    public R get() throws InterruptedException, ExecutionException
    {
        if (!awaitDone(0))
        {
            throw new IllegalStateException("unreachable: an untimed wait returned early");
        }
        return result(true);
    }

    @Override
    public R get(final long timeout, final TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException
    {
        if (!awaitDone(Math.max(1, unit.toNanos(timeout))))
        {
            throw new TimeoutException("no answer to a " + type + " call within " + timeout + " " + unit);
        }
        return result(true);
    }

    /**
     * Waits like {@link #get()} but uninterruptibly, and reports a failure as an unchecked
     * {@link CompletionException}, as {@link CompletableFuture#join()} does.
     *
     * @return the result.
     * @throws CompletionException   when the call failed (the cause is the failure).
     * @throws CancellationException when the future was cancelled.
     */
    public R join()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                awaitDone(0);
                break;
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            return result(false);
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException("unreachable: join reports failures unchecked", e);
        }
    }

    /**
     * Returns the result when done, else {@code valueIfAbsent}.
     *
     * @param valueIfAbsent what to return when the call is not done.
     * @return the result when done, else {@code valueIfAbsent}.
     * @throws CompletionException   when the call failed.
     * @throws CancellationException when the future was cancelled.
     */
    public R getNow(final R valueIfAbsent)
    {
        if (!isDone())
        {
            return valueIfAbsent;
        }
        try
        {
            return result(false);
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException("unreachable: getNow reports failures unchecked", e);
        }
    }

    // ---- Completion (owner thread) ----------------------------------------------------------------

    @Override
    void deliverLength(final long length)
    {
        throw new UnsupportedOperationException("a future never receives a call into a caller's segment");
    }

    /** Owner thread, once the answer is visible: dependents, if any, run on the completion executor or here. */
    @Override
    void onDone()
    {
        final CompletableFuture<R> attached = stage;
        if (attached == null)
        {
            return;
        }
        final Executor executor = context.completionExecutor();
        if (executor != null)
        {
            try
            {
                executor.execute(() -> settle(attached));
                return;
            }
            catch (final RuntimeException refused)
            {
                // The executor refused: the stage must still complete, so do it here.
            }
        }
        settle(attached);
    }

    // ---- the result --------------------------------------------------------------------------------

    /** Waits until done: spin, then park. @return false on timeout. */
    private boolean awaitDone(final long timeoutNanos) throws InterruptedException
    {
        if (isDone())
        {
            return true;
        }
        context.checkNotOwner();
        if (context.spinUntil(this))
        {
            return true;
        }
        final long deadline = timeoutNanos == 0 ? 0 : System.nanoTime() + timeoutNanos;
        while (true)
        {
            final int current = parkOnce(deadline);
            if (current >= DONE)
            {
                return true;
            }
            if (current == OTHER_WAITER)
            {
                // Another thread sleeps here already: wait on the stage, which takes any number of waiters.
                return awaitStage(deadline);
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for a " + type + " call");
            }
            if (deadline != 0 && deadline - System.nanoTime() <= 0)
            {
                return isDone();
            }
        }
    }

    private boolean awaitStage(final long deadline) throws InterruptedException
    {
        try
        {
            if (deadline == 0)
            {
                stage().get();
            }
            else
            {
                stage().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        catch (final ExecutionException | CancellationException e)
        {
            // Done; the caller reads the outcome from this future.
        }
        catch (final TimeoutException e)
        {
            return isDone();
        }
        return true;
    }

    /** The decoded result of a done future; {@code checked} chooses ExecutionException over CompletionException. */
    @SuppressWarnings("unchecked")
    private R result(final boolean checked) throws ExecutionException
    {
        if (answerState() == CANCELLED)
        {
            throw new CancellationException("the " + type + " call's future was cancelled");
        }
        final Object resolved = resolve();
        if (resolved instanceof Failure failed)
        {
            if (checked)
            {
                throw new ExecutionException(failed.cause);
            }
            throw failed.cause instanceof CompletionException completion ? completion : new CompletionException(failed.cause);
        }
        return resolved == NULL_RESULT ? null : (R)resolved;
    }

    /** Decodes the answer once; racing readers agree on the first outcome set. */
    private Object resolve()
    {
        final Object known = outcome;
        if (known != null)
        {
            return known;
        }
        Object decoded;
        if (failure != null)
        {
            decoded = new Failure(failure);
        }
        else
        {
            try
            {
                final R value = type.decode(code, body);
                decoded = value == null ? NULL_RESULT : value;
            }
            catch (final PluginException | RuntimeException e)
            {
                decoded = new Failure(e);
            }
        }
        final Object witness = OUTCOME.compareAndExchange(this, null, decoded);
        return witness == null ? decoded : witness;
    }

    @SuppressWarnings("unchecked")
    private void settle(final CompletableFuture<R> attached)
    {
        if (answerState() == CANCELLED)
        {
            attached.cancel(false);
            return;
        }
        final Object resolved = resolve();
        if (resolved instanceof Failure failed)
        {
            attached.completeExceptionally(failed.cause);
        }
        else
        {
            attached.complete(resolved == NULL_RESULT ? null : (R)resolved);
        }
    }

    /** The stage dependents attach to; completed here if the call is already done. */
    @Override
    @SuppressWarnings("unchecked")
    CompletableFuture<R> stage()
    {
        CompletableFuture<R> attached = stage;
        if (attached == null)
        {
            final CompletableFuture<R> created = new OwnerSafeFuture<>(context);
            final Object witness = STAGE.compareAndExchange(this, null, created);
            attached = witness == null ? created : (CompletableFuture<R>)witness;
            if (witness == null && isDone())
            {
                settle(attached);
            }
        }
        return attached;
    }

    @Override
    public String toString()
    {
        final int current = answerState();
        return "CallFuture[" + type + ", " + (current == CANCELLED ? "cancelled" : current == DONE ? "done" : "pending") + "]";
    }

    private record Failure(Throwable cause)
    {
    }
}
