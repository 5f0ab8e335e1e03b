package dev.ringbridge.dispatcher;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle owner's wait alone, with this test as the producer: it spins and yields for its yield time without
 * parking, parks after it, wakes on a publish's signal, stops on an alert in either phase, and leaves no wake-up
 * behind once it returns.
 */
class ParkingWaitStrategyTest
{
    private static final long FOREVER_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The owner's view of the ring: the published sequence, and the alert the Disruptor raises at halt. */
    private static final class Barrier implements SequenceBarrier
    {
        private final ParkingWaitStrategy strategy;
        private volatile boolean alerted;

        Barrier(final ParkingWaitStrategy strategy)
        {
            this.strategy = strategy;
        }

        @Override
        public long waitFor(final long sequence)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCursor()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isAlerted()
        {
            return alerted;
        }

        /** As the Disruptor's own barrier does: set the flag, then wake a sleeping waiter. */
        @Override
        public void alert()
        {
            alerted = true;
            strategy.signalAllWhenBlocking();
        }

        @Override
        public void clearAlert()
        {
            alerted = false;
        }

        @Override
        public void checkAlert() throws AlertException
        {
            if (alerted)
            {
                throw AlertException.INSTANCE;
            }
        }
    }

    /** One owner waiting for {@code sequence} on its own thread. */
    private static final class Waiter
    {
        final Sequence published = new Sequence(-1);
        final ParkingWaitStrategy strategy;
        final Barrier barrier;
        final CompletableFuture<Long> result = new CompletableFuture<>();
        final Thread thread;

        Waiter(final long spinNanos, final long yieldNanos, final long sequence)
        {
            strategy = new ParkingWaitStrategy(spinNanos, yieldNanos);
            barrier = new Barrier(strategy);
            thread = Thread.ofPlatform().daemon().start(() ->
            {
                try
                {
                    result.complete(strategy.waitFor(sequence, published, published, barrier));
                }
                catch (final Throwable e)
                {
                    result.completeExceptionally(e);
                }
            });
        }

        /** Waits until the owner is parked in this strategy, failing after 5 s. */
        void awaitParked() throws InterruptedException
        {
            assertTrue(Eventually.holds(() -> LockSupport.getBlocker(thread) == strategy), "the owner never parked");
        }

        long answer() throws Exception
        {
            return result.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldReturnWhatIsPublishedAtOnceWhenTheSequenceIsThere() throws Exception
    {
        for (final long yieldNanos : new long[]{0, FOREVER_NANOS})
        {
            final ParkingWaitStrategy strategy = new ParkingWaitStrategy(yieldNanos, yieldNanos);
            final Sequence published = new Sequence(7);
            assertEquals(7, strategy.waitFor(5, published, published, new Barrier(strategy)),
                "the whole published batch, not just the sequence asked for (yield " + yieldNanos + " ns)");
        }
    }

    @Test
    void shouldParkAfterItsYieldTimeAndWakeOnThePublishersSignal() throws Exception
    {
        assertParksAndWakesOnTheSignal(TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void shouldParkAtOnceWithoutAYieldTime() throws Exception
    {
        assertParksAndWakesOnTheSignal(0);
    }

    private static void assertParksAndWakesOnTheSignal(final long yieldNanos) throws Exception
    {
        final Waiter waiter = new Waiter(0, yieldNanos, 3);
        waiter.awaitParked();
        waiter.published.set(4);
        waiter.strategy.signalAllWhenBlocking();
        assertEquals(4, waiter.answer(), "the whole published batch");
    }

    @Test
    void shouldNeitherParkNorNeedASignalWithinItsYieldTime() throws Exception
    {
        final Waiter waiter = new Waiter(TimeUnit.MILLISECONDS.toNanos(50), FOREVER_NANOS, 0);
        for (int i = 0; i < 30; i++)
        {
            Thread.sleep(10);
            assertNull(LockSupport.getBlocker(waiter.thread), "parked within its yield time, after " + (i + 1) * 10 + " ms");
        }
        waiter.published.set(0);
        assertEquals(0, waiter.answer(), "a spinning owner sees the publish without a signal");
    }

    @Test
    void shouldStopSpinningWhenAlerted()
    {
        final Waiter waiter = new Waiter(FOREVER_NANOS, FOREVER_NANOS, 0);
        waiter.barrier.alert();
        final ExecutionException e = assertThrows(ExecutionException.class, waiter::answer);
        assertInstanceOf(AlertException.class, e.getCause());
    }

    @Test
    void shouldStopSleepingWhenAlerted() throws Exception
    {
        final Waiter waiter = new Waiter(0, 0, 0);
        waiter.awaitParked();
        waiter.barrier.alert();
        final ExecutionException e = assertThrows(ExecutionException.class, waiter::answer);
        assertInstanceOf(AlertException.class, e.getCause());
    }

    /**
     * A publish after the owner woke must not hand it a stale permit: its next park anywhere (here a 200 ms one)
     * would return at once, and an owner that parks in a loop would spin on it.
     */
    @Test
    void shouldLeaveNoWakeUpBehindOnceTheOwnerReturns() throws Exception
    {
        final Sequence published = new Sequence(-1);
        final ParkingWaitStrategy strategy = new ParkingWaitStrategy(0, 0);
        final Barrier barrier = new Barrier(strategy);
        final CompletableFuture<Void> returned = new CompletableFuture<>();
        final CompletableFuture<Long> parkedNanos = new CompletableFuture<>();
        final Sequence goSignal = new Sequence(0);
        final Thread owner = Thread.ofPlatform().daemon().start(() ->
        {
            try
            {
                strategy.waitFor(0, published, published, barrier);
                returned.complete(null);
                // Spin, not park, for the test's go: a park here would swallow the very permit looked for.
                while (goSignal.get() == 0)
                {
                    Thread.onSpinWait();
                }
                final long start = System.nanoTime();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                parkedNanos.complete(System.nanoTime() - start);
            }
            catch (final Throwable e)
            {
                returned.completeExceptionally(e);
                parkedNanos.completeExceptionally(e);
            }
        });
        assertTrue(Eventually.holds(() -> LockSupport.getBlocker(owner) == strategy), "the owner never parked");
        published.set(0);
        strategy.signalAllWhenBlocking();
        returned.get(5, TimeUnit.SECONDS);
        strategy.signalAllWhenBlocking();
        goSignal.set(1);
        assertTrue(parkedNanos.get(5, TimeUnit.SECONDS) >= TimeUnit.MILLISECONDS.toNanos(150),
            "the owner's next park returned early: a signal after its wait woke it");
    }
}
