package dev.ringbridge.bench.scenario;

import dev.ringbridge.bench.contender.Caller;

import java.util.concurrent.Future;

/**
 * The calls a pacing thread has submitted and not yet seen finish, oldest first, each with the time it was meant
 * to be sent: the window both constant-rate measures ({@link ConstantRateRun}, {@link OverloadRun}) keep, so a
 * call's latency runs from its intended send time to the moment the pacer sees it done.
 *
 * <p><b>Threads.</b> The pacing thread only.
 */
final class OutstandingCalls
{
    /** What the pacer does with a call it sees finished. */
    @FunctionalInterface
    interface Finished
    {
        /**
         * @param intendedNanos when the call was meant to be sent.
         * @param seenNanos     when the pacer saw it done.
         * @param future        the call's future, done; the pacer reads its result.
         * @param synchronous   true when the contender made the call on the pacer's own thread (no future).
         * @throws Exception when reading the result fails in a way the measure does not expect.
         */
        void done(long intendedNanos, long seenNanos, Future<?> future, boolean synchronous) throws Exception;
    }

    private static final int CAPACITY = 1 << 14;

    private final Future<?>[] futures = new Future<?>[CAPACITY];
    private final long[] intended = new long[CAPACITY];
    private final Finished finished;
    private long head;
    private long tail;

    OutstandingCalls(final Finished finished)
    {
        this.finished = finished;
    }

    /**
     * Waits for {@code due}, watching the calls already out, then submits one call meant for that moment.
     *
     * @param due    when the call is meant to be sent.
     * @param caller the contender's caller.
     */
    void submitAt(final long due, final Caller caller) throws Exception
    {
        long now;
        while ((now = System.nanoTime()) < due)
        {
            observe(now);
            Thread.onSpinWait();
        }
        add(caller.submit(), due);
        observe(System.nanoTime());
    }

    /**
     * Records a submitted call; a synchronous contender's call (null future) is finished at once.
     *
     * @param future the call's future, or null when the contender made the call in place.
     * @param due    when the call was meant to be sent.
     */
    private void add(final Future<?> future, final long due) throws Exception
    {
        if (future == null)
        {
            finished.done(due, System.nanoTime(), null, true);
            return;
        }
        if (tail - head == CAPACITY)
        {
            awaitOldest();
        }
        final int slot = (int)(tail & (CAPACITY - 1));
        futures[slot] = future;
        intended[slot] = due;
        tail++;
    }

    /** Takes every finished call off the front. */
    void observe(final long now) throws Exception
    {
        while (head != tail)
        {
            final int slot = (int)(head & (CAPACITY - 1));
            final Future<?> future = futures[slot];
            if (!future.isDone())
            {
                return;
            }
            futures[slot] = null;
            head++;
            finished.done(intended[slot], now, future, false);
        }
    }

    /** Waits, spinning, until every outstanding call is finished and seen. */
    void drain() throws Exception
    {
        while (head != tail)
        {
            observe(System.nanoTime());
            Thread.onSpinWait();
        }
    }

    private void awaitOldest() throws Exception
    {
        final Future<?> oldest = futures[(int)(head & (CAPACITY - 1))];
        while (!oldest.isDone())
        {
            Thread.onSpinWait();
        }
        observe(System.nanoTime());
    }
}
