package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@NeedsSamplePlugin
class CallFutureTest
{
    record Echo(String message)
    {
    }

    record Echoed(long length, String message)
    {
    }

    private static final CallType<Echo, Echoed> ECHO = CallType.typed("echo", Echo.class, Echoed.class);
    private static final CallType<String, String> FAIL = CallType.json("fail");

    private PluginDispatcher dispatcher;
    private CountDownLatch releaseOwner;

    @BeforeEach
    void start() throws Exception
    {
        dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(16).build();
        releaseOwner = new CountDownLatch(1);
    }

    @AfterEach
    void stop()
    {
        releaseOwner.countDown();
        dispatcher.close();
    }

    private void holdOwner() throws InterruptedException
    {
        OwnerCallbacks.runOnOwner(dispatcher, () ->
        {
            try
            {
                releaseOwner.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void shouldDecodeOnceForEveryReader() throws Exception
    {
        holdOwner();
        final CallFuture<Echoed> future = dispatcher.submit(ECHO, new Echo("once"));
        final AtomicReference<Echoed> seenByStage = new AtomicReference<>();
        final CompletableFuture<Void> stage = future.thenAccept(seenByStage::set);
        final List<Thread> waiters = new ArrayList<>();
        final List<Echoed> seenByWaiters = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 3; i++)
        {
            waiters.add(Thread.ofPlatform().start(() -> seenByWaiters.add(future.join())));
        }
        Thread.sleep(20);
        assertFalse(future.isDone());
        releaseOwner.countDown();
        final Echoed result = future.get(5, TimeUnit.SECONDS);
        stage.get(5, TimeUnit.SECONDS);
        for (final Thread waiter : waiters)
        {
            waiter.join(5_000);
        }
        assertEquals(new Echoed(4, "once"), result);
        assertSame(result, future.join(), "decoded once, the same object for every read");
        assertSame(result, seenByStage.get());
        assertEquals(3, seenByWaiters.size(), "every concurrent waiter is woken");
        seenByWaiters.forEach(seen -> assertSame(result, seen));
        assertSame(result, future.getNow(null));
    }

    @Test
    void shouldRunDependentsAttachedAfterCompletion() throws Exception
    {
        final CallFuture<Echoed> future = dispatcher.submit(ECHO, new Echo("late"));
        assertEquals("late", future.get(5, TimeUnit.SECONDS).message());
        assertEquals("late!", future.thenApply(reply -> reply.message() + "!").get(1, TimeUnit.SECONDS),
            "a stage created after the result arrived completes at once");
    }

    @Test
    void shouldNotBeCompletedFromOutside() throws Exception
    {
        holdOwner();
        final CallFuture<Echoed> future = dispatcher.submit(ECHO, new Echo("real"));
        final CompletableFuture<Echoed> copy = future.toCompletableFuture();
        assertTrue(copy.complete(new Echoed(0, "forged")));
        assertNotSame(copy, future.toCompletableFuture(), "each view is a new dependent");
        releaseOwner.countDown();
        assertEquals("real", future.get(5, TimeUnit.SECONDS).message(), "completing a view completes nothing here");
        assertEquals("real", future.toCompletableFuture().get(5, TimeUnit.SECONDS).message());
    }

    @Test
    void shouldCancelAndSkipACallNotStarted() throws Exception
    {
        holdOwner();
        final CallFuture<Echoed> future = dispatcher.submit(ECHO, new Echo("dropped"));
        final CompletableFuture<Echoed> dependent = future.toCompletableFuture();
        assertTrue(future.cancel(true));
        assertFalse(future.cancel(true), "only the first cancel counts");
        assertTrue(future.isCancelled());
        assertTrue(future.isDone());
        assertThrows(CancellationException.class, future::get);
        assertThrows(CancellationException.class, future::join);
        assertInstanceOf(CancellationException.class,
            assertThrows(ExecutionException.class, () -> dependent.get(1, TimeUnit.SECONDS)).getCause(), "dependents see the cancellation");
        final long finishedBefore = dispatcher.metrics().finishedCount();
        releaseOwner.countDown();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (dispatcher.metrics().finishedCount() < finishedBefore + 1 && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(finishedBefore + 1, dispatcher.metrics().finishedCount(), "the cancelled call is finished");
        assertEquals(1, dispatcher.metrics().cancelledCount(), "the owner skipped it: it had not started");
        assertTrue(future.isCancelled());
    }

    @Test
    void shouldReportPluginErrorsCheckedAndUnchecked() throws Exception
    {
        final CallFuture<String> future = dispatcher.submit(FAIL, "{\"message\":\"boom\"}");
        final ExecutionException checked = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        final PluginException error = assertInstanceOf(PluginException.class, checked.getCause());
        assertEquals(ErrorKind.HANDLER_ERROR, error.kind());
        final CompletionException unchecked = assertThrows(CompletionException.class, future::join);
        assertSame(error, unchecked.getCause(), "one decoded failure for every reader");
        assertSame(error, assertThrows(ExecutionException.class, () -> future.toCompletableFuture().get()).getCause());
    }

    @Test
    void shouldTimeOutAWaitWithoutCompletingTheFuture() throws Exception
    {
        holdOwner();
        final CallFuture<Echoed> future = dispatcher.submit(ECHO, new Echo("slow"));
        final long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> future.get(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        assertFalse(future.isDone());
        releaseOwner.countDown();
        assertEquals("slow", future.get(5, TimeUnit.SECONDS).message());
    }
}
