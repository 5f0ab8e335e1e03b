package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a waiting caller spins before it parks: never on the owner thread, never on a virtual thread, never without a
 * spin time, and for no longer than its spin time.
 */
class CompletionContextTest
{
    private static final CompletionContext.Done NEVER = () -> false;

    private static CompletionContext spinning(final long nanos)
    {
        return new CompletionContext(new Thread(() -> { }, "owner"), nanos, null);
    }

    @Test
    void shouldRefuseABlockingWaitOnTheOwnerThreadOnly()
    {
        final CompletionContext context = new CompletionContext(Thread.currentThread(), 0, null);
        final IllegalStateException e = assertThrows(IllegalStateException.class, context::checkNotOwner);
        assertTrue(e.getMessage().contains('"' + Thread.currentThread().getName() + '"'), e.getMessage());
        assertDoesNotThrow(spinning(0)::checkNotOwner);
    }

    @Test
    void shouldAnswerAtOnceWhenAlreadyDoneEvenWithoutASpin()
    {
        assertTrue(spinning(0).spinUntil(() -> true));
    }

    @Test
    void shouldNotSpinWithoutASpinTime()
    {
        final int[] polls = new int[1];
        assertFalse(spinning(0).spinUntil(() -> ++polls[0] < 0));
        assertEquals(1, polls[0], "a context without a spin time polls once");
    }

    @Test
    void shouldSpinForItsSpinTimeAndThenGiveUp()
    {
        final long spinNanos = TimeUnit.MILLISECONDS.toNanos(100);
        final long start = System.nanoTime();
        assertFalse(spinning(spinNanos).spinUntil(NEVER));
        final long spun = System.nanoTime() - start;
        assertTrue(spun >= spinNanos, "gave up after " + spun + " ns of a " + spinNanos + " ns spin");
    }

    @Test
    void shouldSeeACompletionWhileSpinning() throws Exception
    {
        final AtomicBoolean done = new AtomicBoolean();
        final CompletableFuture<Boolean> spun = CompletableFuture.supplyAsync(
            () -> spinning(TimeUnit.SECONDS.toNanos(60)).spinUntil(done::get), task -> Thread.ofPlatform().daemon().start(task));
        Thread.sleep(20);
        done.set(true);
        assertTrue(spun.get(5, TimeUnit.SECONDS), "a completion during the spin ends it");
    }

    /** A virtual thread's carrier is shared: it parks at once and frees the carrier for others. */
    @Test
    void shouldNotSpinOnAVirtualThread() throws Exception
    {
        final CompletableFuture<Boolean> spun = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> spun.complete(spinning(TimeUnit.SECONDS.toNanos(60)).spinUntil(NEVER)));
        assertFalse(spun.get(5, TimeUnit.SECONDS));
    }
}
