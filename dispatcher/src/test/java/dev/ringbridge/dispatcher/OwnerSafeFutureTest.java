package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The future behind a call's stage, with this test's thread as the dispatcher's owner: a blocking wait there fails at
 * once while the future is not done, reads the value once it is, and so do the futures derived from it; the
 * {@code *Async} methods without an executor run on the completion executor.
 */
class OwnerSafeFutureTest
{
    private static CompletionContext ownedByThisThread(final Executor completionExecutor)
    {
        return new CompletionContext(Thread.currentThread(), 0, completionExecutor);
    }

    @Test
    void shouldRefuseEveryBlockingWaitOnTheOwnerWhileNotDone()
    {
        final OwnerSafeFuture<String> future = new OwnerSafeFuture<>(ownedByThisThread(null));
        assertThrows(IllegalStateException.class, future::get);
        assertThrows(IllegalStateException.class, () -> future.get(1, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, future::join);
        final CompletableFuture<Integer> derived = future.thenApply(String::length);
        assertInstanceOf(OwnerSafeFuture.class, derived, "derived futures are owner-safe too");
        assertThrows(IllegalStateException.class, derived::join);
    }

    @Test
    void shouldReadADoneFutureOnTheOwner() throws Exception
    {
        final OwnerSafeFuture<String> future = new OwnerSafeFuture<>(ownedByThisThread(null));
        future.complete("answer");
        assertEquals("answer", future.get());
        assertEquals("answer", future.get(1, TimeUnit.SECONDS));
        assertEquals("answer", future.join());
        assertEquals(6, future.thenApply(String::length).join());
    }

    @Test
    void shouldRunAsyncStagesOnTheCompletionExecutor() throws Exception
    {
        final Executor completions = task -> Thread.ofPlatform().name("completions").start(task);
        final Thread owner = new Thread(() -> { }, "owner");
        final OwnerSafeFuture<String> future = new OwnerSafeFuture<>(new CompletionContext(owner, 0, completions));
        final CompletableFuture<String> ranOn = future.thenApplyAsync(value -> Thread.currentThread().getName());
        future.complete("answer");
        assertEquals("completions", ranOn.get(5, TimeUnit.SECONDS));
    }
}
