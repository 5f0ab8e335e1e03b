package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owner thread's and the gate's invariants, against {@link FakePlugin}: no native library, no cargo. What the
 * plugin itself does is tested against the real sample plugin elsewhere; these check what the ring promises around it.
 */
class OwnerInvariantsTest
{
    private static final CallType<String, String> FAKE = CallType.json("fake");

    private static PluginDispatcher start(final FakePlugin fake, final int capacity)
    {
        return new DispatcherBuilder(fake).capacity(capacity).build();
    }

    @Test
    void shouldEnterThePluginFromTheOwnerThreadOnlyAndOneCallAtATime() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = start(fake, 64))
        {
            final List<CallFuture<String>> futures = new CopyOnWriteArrayList<>();
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 8; p++)
            {
                final int producer = p;
                producers.add(Thread.ofPlatform().start(() ->
                {
                    for (int i = 0; i < 2_000; i++)
                    {
                        try
                        {
                            futures.add(dispatcher.submit(FAKE, "{\"p\":" + producer + ",\"i\":" + i + "}"));
                        }
                        catch (final InterruptedException e)
                        {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            for (final Thread producer : producers)
            {
                producer.join();
            }
            for (final CallFuture<String> future : futures)
            {
                assertTrue(future.get(10, TimeUnit.SECONDS).startsWith("{\"p\":"));
            }
            assertEquals(16_000, fake.entered.size(), "every call entered once");
            assertEquals(Set.of(dispatcher.ownerThread()), fake.callers, "only the owner thread entered the plugin");
            assertEquals(1, fake.mostInside.get(), "never two calls inside at once");
        }
        assertEquals(1, fake.releases.get(), "released once, at shutdown");
        assertFalse(fake.enteredAfterRelease, "nothing entered after the release");
    }

    @Test
    void shouldKeepExpiredAndCancelledCallsOutOfThePlugin() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = start(fake, 8))
        {
            final CallFuture<String> holding = dispatcher.submit(FAKE, "\"hold\"");
            fake.awaitHolding();
            final CallFuture<String> expired = dispatcher.submit(FAKE, "\"expired\"", CallOptions.timeout(Duration.ofMillis(5)));
            final CallFuture<String> cancelled = dispatcher.submit(FAKE, "\"cancelled\"");
            final CallFuture<String> served = dispatcher.submit(FAKE, "\"served\"");
            assertTrue(cancelled.cancel(false));
            Thread.sleep(20);
            fake.release();

            assertEquals("\"served\"", served.get(10, TimeUnit.SECONDS));
            assertEquals("\"hold\"", holding.get(10, TimeUnit.SECONDS));
            assertInstanceOf(DeadlineExceededException.class, assertThrows(ExecutionException.class, () -> expired.get(10, TimeUnit.SECONDS)).getCause());
            assertThrows(CancellationException.class, () -> cancelled.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("\"hold\"", "\"served\""), fake.entered, "neither the expired nor the cancelled call entered");
            assertEquals(1, dispatcher.metrics().shedCount());
            assertEquals(1, dispatcher.metrics().cancelledCount());
        }
    }

    @Test
    void shouldHoldExactlyItsCapacityAndGiveRoomBackBeforeCompleting() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = start(fake, 3))
        {
            final CallFuture<String> holding = dispatcher.submit(FAKE, "\"hold\"");
            fake.awaitHolding();
            assertTrue(dispatcher.trySubmit(FAKE, "\"one\"").isPresent());
            assertTrue(dispatcher.trySubmit(FAKE, "\"two\"").isPresent());
            assertTrue(dispatcher.trySubmit(FAKE, "\"three\"").isEmpty(), "the holding call and two queued fill a capacity of 3");

            // A callback on the owner thread, when the held call completes: its room is already free.
            final CompletableFuture<Boolean> roomInCallback = new CompletableFuture<>();
            holding.thenRun(() -> roomInCallback.complete(dispatcher.trySubmit(FAKE, "\"from the callback\"").isPresent()));
            fake.release();
            assertTrue(roomInCallback.get(10, TimeUnit.SECONDS), "room is given back before the completion runs");
        }
        assertTrue(fake.entered.contains("\"from the callback\""));
    }

    @Test
    void shouldRunThePanicActionOnceOnTheOwnerBeforeTheNextCallEnters() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        final List<String> seen = new CopyOnWriteArrayList<>();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(fake).onPluginFailed(
            () -> seen.add(Thread.currentThread().getName() + " after " + fake.entered.size())).threadName("owner").build())
        {
            final CallFuture<String> panic = dispatcher.submit(FAKE, "\"panic\"");
            final List<CallFuture<String>> behind = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                behind.add(dispatcher.submit(FAKE, "\"behind\""));
            }
            assertThrows(ExecutionException.class, () -> panic.get(10, TimeUnit.SECONDS));
            for (final CallFuture<String> future : behind)
            {
                assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
            }
            assertEquals(List.of("owner after 1"), seen, "once, on the owner, before the calls behind the panic entered");
        }
    }

    @Test
    void shouldFailUnstartedCallsAtShutdownNowWithoutEnteringThePlugin() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        final PluginDispatcher dispatcher = start(fake, 16);
        final CallFuture<String> holding = dispatcher.submit(FAKE, "\"hold\"");
        fake.awaitHolding();
        final List<CallFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            queued.add(dispatcher.submit(FAKE, "\"queued\""));
        }
        final Thread stopper = Thread.ofPlatform().start(dispatcher::shutdownNow);
        while (!dispatcher.isShutdown())
        {
            Thread.onSpinWait();
        }
        fake.release();
        stopper.join(10_000);
        assertTrue(dispatcher.isTerminated());
        assertEquals("\"hold\"", holding.get(), "the running call finished");
        for (final CallFuture<String> future : queued)
        {
            assertInstanceOf(RejectedExecutionException.class, assertThrows(ExecutionException.class, future::get).getCause());
        }
        assertEquals(List.of("\"hold\""), fake.entered);
        assertEquals(1, fake.releases.get());
        assertTrue(fake.isClosed(), "closePlugin is the default");
    }

    @Test
    void shouldFailEveryCallNamingThePluginWhenItsSessionDoesNotOpen() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        fake.openFails = true;
        final PluginDispatcher dispatcher = start(fake, 4);
        final ExecutionException e = assertThrows(ExecutionException.class, () -> dispatcher.submit(FAKE, "\"x\"").get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("could not open plugin fake"), e.getCause().getMessage());
        dispatcher.close();
        assertTrue(dispatcher.isTerminated());
        assertEquals(1, fake.releases.get(), "the plugin is still released at shutdown");
        assertTrue(fake.entered.isEmpty());
    }

    @Test
    void shouldCountTheTimeTheOwnerSpentOpeningThePluginAsQueueWaitNotService() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        fake.openMillis = 200;
        try (PluginDispatcher dispatcher = start(fake, 64))
        {
            // Submitted while the owner thread is still opening the plugin.
            dispatcher.call(FAKE, "1");
            final MetricsSnapshot total = dispatcher.totalMetrics();
            assertTrue(total.serviceTime().getMaxValue() < 100_000_000L,
                "the call itself took microseconds: " + total.serviceTime().getMaxValue() + " ns");
            assertTrue(total.queueWait().getMaxValue() >= 100_000_000L,
                "it waited for the plugin to open: " + total.queueWait().getMaxValue() + " ns");
        }
    }
}
