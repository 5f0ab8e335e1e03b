package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;

import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The measurement floor: a caller that makes no call. Timed like any contender, it shows what the
 * machine and the measuring loop alone contribute to a latency figure. With {@code busy}, a thread
 * spins on the other core meanwhile, as a dispatcher's owner thread or a queue's worker would: the
 * floor under every contender that keeps two threads running.
 */
final class NoCall implements Contender
{
    private static final Caller NOTHING = new Caller()
    {
        @Override
        public void call()
        {
            // Deliberately nothing: this is the floor.
        }

        @Override
        public Future<?> submit()
        {
            return null;
        }

        @Override
        public void close()
        {
            // Nothing held.
        }
    };

    private final Thread spinner;
    /** Written by the closing thread, read by the spinner (volatile store, volatile load). */
    private volatile boolean running = true;

    NoCall(final boolean busy)
    {
        if (busy)
        {
            spinner = new Thread(this::spin, "bench-busy-core");
            spinner.setDaemon(true);
            spinner.start();
        }
        else
        {
            spinner = null;
        }
    }

    @Override
    public ContenderKind kind()
    {
        return spinner == null ? ContenderKind.NO_CALL : ContenderKind.NO_CALL_BUSY;
    }

    @Override
    public Caller open(final Workload workload)
    {
        return NOTHING;
    }

    @Override
    public Optional<Thread> worker()
    {
        return Optional.ofNullable(spinner);
    }

    @Override
    public void close()
    {
        running = false;
        if (spinner != null)
        {
            try
            {
                spinner.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void spin()
    {
        while (running)
        {
            Thread.onSpinWait();
        }
    }
}
