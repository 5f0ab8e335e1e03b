package dev.ringbridge.dispatcher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link CompletionStage} half of {@link CallFuture}: every method attaches to a {@link CompletableFuture}
 * that the future creates only when someone asks ({@link #stage()}), so a call whose caller just waits for its
 * result allocates none.
 *
 * @param <R> the result type.
 */
abstract class DelegatedStage<R> extends Answer implements CompletionStage<R>
{
    /**
     * @return the stage dependents attach to, created on first use and completed with the decoded result.
     */
    abstract CompletableFuture<R> stage();


    @Override
    public CompletableFuture<R> toCompletableFuture()
    {
        return stage().thenApply(Function.identity());
    }

    @Override
    public <U> CompletableFuture<U> thenApply(final Function<? super R, ? extends U> fn)
    {
        return stage().thenApply(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenApplyAsync(final Function<? super R, ? extends U> fn)
    {
        return stage().thenApplyAsync(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenApplyAsync(final Function<? super R, ? extends U> fn, final Executor executor)
    {
        return stage().thenApplyAsync(fn, executor);
    }

    @Override
    public CompletableFuture<Void> thenAccept(final Consumer<? super R> action)
    {
        return stage().thenAccept(action);
    }

    @Override
    public CompletableFuture<Void> thenAcceptAsync(final Consumer<? super R> action)
    {
        return stage().thenAcceptAsync(action);
    }

    @Override
    public CompletableFuture<Void> thenAcceptAsync(final Consumer<? super R> action, final Executor executor)
    {
        return stage().thenAcceptAsync(action, executor);
    }

    @Override
    public CompletableFuture<Void> thenRun(final Runnable action)
    {
        return stage().thenRun(action);
    }

    @Override
    public CompletableFuture<Void> thenRunAsync(final Runnable action)
    {
        return stage().thenRunAsync(action);
    }

    @Override
    public CompletableFuture<Void> thenRunAsync(final Runnable action, final Executor executor)
    {
        return stage().thenRunAsync(action, executor);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(
        final CompletionStage<? extends U> other, final BiFunction<? super R, ? super U, ? extends V> fn)
    {
        return stage().thenCombine(other, fn);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombineAsync(
        final CompletionStage<? extends U> other, final BiFunction<? super R, ? super U, ? extends V> fn)
    {
        return stage().thenCombineAsync(other, fn);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombineAsync(
        final CompletionStage<? extends U> other, final BiFunction<? super R, ? super U, ? extends V> fn, final Executor executor)
    {
        return stage().thenCombineAsync(other, fn, executor);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(
        final CompletionStage<? extends U> other, final BiConsumer<? super R, ? super U> action)
    {
        return stage().thenAcceptBoth(other, action);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBothAsync(
        final CompletionStage<? extends U> other, final BiConsumer<? super R, ? super U> action)
    {
        return stage().thenAcceptBothAsync(other, action);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBothAsync(
        final CompletionStage<? extends U> other, final BiConsumer<? super R, ? super U> action, final Executor executor)
    {
        return stage().thenAcceptBothAsync(other, action, executor);
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(final CompletionStage<?> other, final Runnable action)
    {
        return stage().runAfterBoth(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterBothAsync(final CompletionStage<?> other, final Runnable action)
    {
        return stage().runAfterBothAsync(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterBothAsync(final CompletionStage<?> other, final Runnable action, final Executor executor)
    {
        return stage().runAfterBothAsync(other, action, executor);
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(final CompletionStage<? extends R> other, final Function<? super R, U> fn)
    {
        return stage().applyToEither(other, fn);
    }

    @Override
    public <U> CompletableFuture<U> applyToEitherAsync(final CompletionStage<? extends R> other, final Function<? super R, U> fn)
    {
        return stage().applyToEitherAsync(other, fn);
    }

    @Override
    public <U> CompletableFuture<U> applyToEitherAsync(
        final CompletionStage<? extends R> other, final Function<? super R, U> fn, final Executor executor)
    {
        return stage().applyToEitherAsync(other, fn, executor);
    }

    @Override
    public CompletableFuture<Void> acceptEither(final CompletionStage<? extends R> other, final Consumer<? super R> action)
    {
        return stage().acceptEither(other, action);
    }

    @Override
    public CompletableFuture<Void> acceptEitherAsync(final CompletionStage<? extends R> other, final Consumer<? super R> action)
    {
        return stage().acceptEitherAsync(other, action);
    }

    @Override
    public CompletableFuture<Void> acceptEitherAsync(
        final CompletionStage<? extends R> other, final Consumer<? super R> action, final Executor executor)
    {
        return stage().acceptEitherAsync(other, action, executor);
    }

    @Override
    public CompletableFuture<Void> runAfterEither(final CompletionStage<?> other, final Runnable action)
    {
        return stage().runAfterEither(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterEitherAsync(final CompletionStage<?> other, final Runnable action)
    {
        return stage().runAfterEitherAsync(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterEitherAsync(final CompletionStage<?> other, final Runnable action, final Executor executor)
    {
        return stage().runAfterEitherAsync(other, action, executor);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(final Function<? super R, ? extends CompletionStage<U>> fn)
    {
        return stage().thenCompose(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenComposeAsync(final Function<? super R, ? extends CompletionStage<U>> fn)
    {
        return stage().thenComposeAsync(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenComposeAsync(
        final Function<? super R, ? extends CompletionStage<U>> fn, final Executor executor)
    {
        return stage().thenComposeAsync(fn, executor);
    }

    @Override
    public <U> CompletableFuture<U> handle(final BiFunction<? super R, Throwable, ? extends U> fn)
    {
        return stage().handle(fn);
    }

    @Override
    public <U> CompletableFuture<U> handleAsync(final BiFunction<? super R, Throwable, ? extends U> fn)
    {
        return stage().handleAsync(fn);
    }

    @Override
    public <U> CompletableFuture<U> handleAsync(final BiFunction<? super R, Throwable, ? extends U> fn, final Executor executor)
    {
        return stage().handleAsync(fn, executor);
    }

    @Override
    public CompletableFuture<R> whenComplete(final BiConsumer<? super R, ? super Throwable> action)
    {
        return stage().whenComplete(action);
    }

    @Override
    public CompletableFuture<R> whenCompleteAsync(final BiConsumer<? super R, ? super Throwable> action)
    {
        return stage().whenCompleteAsync(action);
    }

    @Override
    public CompletableFuture<R> whenCompleteAsync(final BiConsumer<? super R, ? super Throwable> action, final Executor executor)
    {
        return stage().whenCompleteAsync(action, executor);
    }

    @Override
    public CompletableFuture<R> exceptionally(final Function<Throwable, ? extends R> fn)
    {
        return stage().exceptionally(fn);
    }

    @Override
    public CompletableFuture<R> exceptionallyAsync(final Function<Throwable, ? extends R> fn)
    {
        return stage().exceptionallyAsync(fn);
    }

    @Override
    public CompletableFuture<R> exceptionallyAsync(final Function<Throwable, ? extends R> fn, final Executor executor)
    {
        return stage().exceptionallyAsync(fn, executor);
    }

    @Override
    public CompletableFuture<R> exceptionallyCompose(final Function<Throwable, ? extends CompletionStage<R>> fn)
    {
        return stage().exceptionallyCompose(fn);
    }

    @Override
    public CompletableFuture<R> exceptionallyComposeAsync(final Function<Throwable, ? extends CompletionStage<R>> fn)
    {
        return stage().exceptionallyComposeAsync(fn);
    }

    @Override
    public CompletableFuture<R> exceptionallyComposeAsync(
        final Function<Throwable, ? extends CompletionStage<R>> fn, final Executor executor)
    {
        return stage().exceptionallyComposeAsync(fn, executor);
    }
}
