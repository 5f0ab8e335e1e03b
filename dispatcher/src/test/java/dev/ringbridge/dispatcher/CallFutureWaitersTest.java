package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several threads waiting for one call (the second one waits on the future's stage), and the caller's interrupt (against the fake). */
class CallFutureWaitersTest
{
    private static final CallType<String, String> FAKE = CallType.json("fake");
    /** One thread per waiter: each blocks. */
    private static final Executor THREADS = task -> Thread.ofPlatform().daemon().start(task);

    private static <T> CompletableFuture<T> waiter(final Callable<T> wait)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return wait.call();
            }
            catch (final Exception e)
            {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, THREADS);
    }

    @FunctionalInterface
    private interface Callable<T>
    {
        T call() throws Exception;
    }

    @Test
    void shouldHandTheResultToEveryWaiter() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(fake).callerSpin(Duration.ZERO).build())
        {
            final CallFuture<String> held = dispatcher.submit(FAKE, "\"hold\"");
            fake.awaitHolding();
            assertEquals("absent", held.getNow("absent"));
            final CompletableFuture<String> first = waiter(held::get);
            final CompletableFuture<String> second = waiter(held::get);
            final CompletableFuture<String> timed = waiter(() -> held.get(10, TimeUnit.SECONDS));
            Thread.sleep(100);
            fake.release();
            assertEquals("\"hold\"", first.get(10, TimeUnit.SECONDS));
            assertEquals("\"hold\"", second.get(10, TimeUnit.SECONDS));
            assertEquals("\"hold\"", timed.get(10, TimeUnit.SECONDS));
            assertEquals("\"hold\"", held.getNow("absent"));
        }
    }

    @Test
    void shouldTimeOutEveryWaiterAtItsOwnTimeout() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(fake).callerSpin(Duration.ZERO).build())
        {
            final CallFuture<String> held = dispatcher.submit(FAKE, "\"hold\"");
            fake.awaitHolding();
            final CompletableFuture<Long> first = waiter(() -> timedOutAfter(held, 2_000));
            Thread.sleep(50);
            final CompletableFuture<Long> second = waiter(() -> timedOutAfter(held, 100));
            final long secondWaited = second.get(10, TimeUnit.SECONDS);
            assertTrue(secondWaited >= TimeUnit.MILLISECONDS.toNanos(100) && secondWaited < TimeUnit.MILLISECONDS.toNanos(1_500),
                "the second waiter timed out after " + secondWaited + " ns");
            assertTrue(first.get(10, TimeUnit.SECONDS) >= TimeUnit.MILLISECONDS.toNanos(2_000));
            fake.release();
            assertEquals("\"hold\"", held.get(10, TimeUnit.SECONDS));
        }
    }

    private static long timedOutAfter(final CallFuture<String> future, final long millis)
    {
        final long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> future.get(millis, TimeUnit.MILLISECONDS));
        return System.nanoTime() - start;
    }

    @Test
    void shouldKeepTheInterruptOfAThreadThatJoins() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(fake).build())
        {
            final CallFuture<String> held = dispatcher.submit(FAKE, "\"hold\"");
            fake.awaitHolding();
            final CompletableFuture<Boolean> joined = waiter(() ->
            {
                Thread.currentThread().interrupt();
                assertEquals("\"hold\"", held.join());
                return Thread.currentThread().isInterrupted();
            });
            Thread.sleep(100);
            fake.release();
            assertTrue(joined.get(10, TimeUnit.SECONDS), "join waited through the interrupt and kept it");
        }
    }
}
