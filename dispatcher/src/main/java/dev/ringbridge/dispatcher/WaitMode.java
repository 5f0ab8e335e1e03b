package dev.ringbridge.dispatcher;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.util.function.Supplier;

/**
 * How the idle owner thread waits for calls, and how long a caller waiting for its result spins before
 * it parks. Together they decide round-trip latency: waking a parked thread costs tens of microseconds on
 * a virtualised machine, a spinning one well under one.
 */
public enum WaitMode
{
    /**
     * The owner thread spins for 10 microseconds after its last call, yields until 50, then parks; a publish
     * unparks it only when it sleeps. Callers spin 10 microseconds, then park. Back-to-back calls never wait
     * for a thread to wake up, and an idle dispatcher uses no CPU after 50 microseconds of quiet. The default.
     */
    BACKOFF(() -> new ParkingWaitStrategy(10_000, 50_000), 10_000),

    /**
     * The owner thread parks as soon as the ring is empty; callers spin a few microseconds, then park. Never
     * burns CPU, but each call after a pause waits for the owner to wake up: tens of microseconds on a
     * virtual machine.
     */
    BLOCKING(() -> new ParkingWaitStrategy(0, 0), 5_000),

    /**
     * The owner thread spins, yields, then sleeps in short naps (the Disruptor's sleeping strategy); low CPU
     * while idle, but the first call after a quiet period waits for a nap to end.
     */
    SLEEPING(SleepingWaitStrategy::new, 20_000),

    /**
     * The owner thread spins and yields; callers spin up to 100 microseconds. Round trips well under
     * a microsecond, at the cost of a busy core: only when the owner thread can have a core of its own.
     */
    YIELDING(YieldingWaitStrategy::new, 100_000),

    /**
     * The owner thread busy-spins without yielding. The lowest latency and the highest cost: it
     * takes a whole core even when idle, and starves other threads on a small machine.
     */
    BUSY_SPIN(BusySpinWaitStrategy::new, 100_000);

    private final Supplier<WaitStrategy> strategy;
    private final long callerSpinNanos;

    WaitMode(final Supplier<WaitStrategy> strategy, final long callerSpinNanos)
    {
        this.strategy = strategy;
        this.callerSpinNanos = callerSpinNanos;
    }

    WaitStrategy newWaitStrategy()
    {
        return strategy.get();
    }

    /**
     * Returns how long a caller waiting for its result spins before it parks, by default.
     *
     * @return how long a caller waiting for its result spins before it parks, by default.
     */
    public long callerSpinNanos()
    {
        return callerSpinNanos;
    }
}
