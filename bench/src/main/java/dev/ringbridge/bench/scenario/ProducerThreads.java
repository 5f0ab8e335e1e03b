package dev.ringbridge.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The producer threads of one scenario. Each runs its body, says when it is ready to be measured, and
 * hands any failure back to the coordinating thread, which rethrows it from {@link #join()}.
 */
final class ProducerThreads
{
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

    /** What one producer does; it calls {@code ready.run()} once it has opened its caller. */
    interface Body
    {
        void run(int index, Runnable ready) throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch ready;
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    ProducerThreads(final String name, final int count, final Body body)
    {
        this.ready = new CountDownLatch(count);
        for (int i = 0; i < count; i++)
        {
            final int index = i;
            final Thread thread = new Thread(() -> runBody(body, index), name + "-" + i);
            // A producer stuck in a broken contender must not keep the JVM alive after the suite gave up on it.
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    List<Thread> threads()
    {
        return threads;
    }

    /**
     * @param worker the contender's worker thread, if it has one.
     * @return the producers and the worker: every thread whose allocation belongs to the scenario.
     */
    List<Thread> withWorker(final Optional<Thread> worker)
    {
        final List<Thread> all = new ArrayList<>(threads);
        worker.ifPresent(all::add);
        return all;
    }

    /** Starts every producer and waits until all are ready (or have failed). */
    ProducerThreads start() throws Exception
    {
        threads.forEach(Thread::start);
        if (!ready.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        {
            throw new IllegalStateException("producers were not ready within " + READY_TIMEOUT);
        }
        rethrow();
        return this;
    }

    /** Waits for every producer to finish and rethrows the first failure. */
    void join() throws Exception
    {
        final long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        for (final Thread thread : threads)
        {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive())
            {
                throw new IllegalStateException("producer " + thread.getName() + " did not finish within " + JOIN_TIMEOUT);
            }
        }
        rethrow();
    }

    private void runBody(final Body body, final int index)
    {
        // Counted down once, by the body or at the latest when it ends, so start() never waits for a dead producer.
        final boolean[] signalled = new boolean[1];
        final Runnable signal = () ->
        {
            if (!signalled[0])
            {
                signalled[0] = true;
                ready.countDown();
            }
        };
        try
        {
            body.run(index, signal);
        }
        catch (final Throwable t)
        {
            failures.add(t);
        }
        finally
        {
            signal.run();
        }
    }

    private void rethrow() throws Exception
    {
        final Throwable failure = failures.peek();
        if (failure instanceof Exception exception)
        {
            throw exception;
        }
        if (failure instanceof Error error)
        {
            throw error;
        }
        if (failure != null)
        {
            throw new IllegalStateException(failure);
        }
    }
}
