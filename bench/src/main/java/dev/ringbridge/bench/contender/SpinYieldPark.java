package dev.ringbridge.bench.contender;

import org.jctools.queues.MessagePassingQueue;

import java.util.Queue;
import java.util.concurrent.locks.LockSupport;

/**
 * A back-off for a thread with nothing to do: spin, then yield, then park for a period that doubles up
 * to a cap; the caller keeps the counter, so one instance serves every thread and nothing is allocated.
 * It is JCTools' {@link MessagePassingQueue.WaitStrategy}, the idle hook of
 * {@link MessagePassingQueue#drain(MessagePassingQueue.Consumer, MessagePassingQueue.WaitStrategy,
 * MessagePassingQueue.ExitCondition)}, and it paces the peers' producers while their queue is full:
 * JCTools and Agrona queues never block, so a producer that must wait for room has to back off itself.
 *
 * <p>Cost: each idle step is at least a spin; once parked, a thread notices new work up to one park
 * period late (and Linux rounds a park up to about 50 µs of timer slack).
 */
final class SpinYieldPark implements MessagePassingQueue.WaitStrategy
{
    /**
     * The peers' idle workers: Agrona's {@code BackoffIdleStrategy} defaults (10 spins, 5 yields, park
     * 1 µs doubling to 1 ms), so the JCTools worker idles exactly as the Agrona one does.
     */
    static final SpinYieldPark WORKER = new SpinYieldPark(10, 5, 1_000, 1_000_000);
    /**
     * Producers facing a full queue: the same steps with parks capped at 100 µs, well under the time the
     * worker takes to drain a full queue of 1024 calls (300 µs at 3 M calls/s), so the queue does not run
     * dry while its producers sleep.
     */
    static final SpinYieldPark PRODUCER = new SpinYieldPark(10, 5, 1_000, 100_000);

    /** Doublings of the shortest park after which the counter stops growing (1 µs << 20 is over a second). */
    private static final int MAX_DOUBLINGS = 20;

    private final int spins;
    private final int yields;
    private final long minParkNanos;
    private final long maxParkNanos;

    SpinYieldPark(final int spins, final int yields, final long minParkNanos, final long maxParkNanos)
    {
        if (spins < 0 || yields < 0 || minParkNanos < 1 || maxParkNanos < minParkNanos)
        {
            throw new IllegalArgumentException("bad back-off: spins " + spins + ", yields " + yields
                + ", park " + minParkNanos + "-" + maxParkNanos + " ns");
        }
        this.spins = spins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    /**
     * Idles once.
     *
     * @param idleCounter how often the thread idled since it last had work (0 the first time).
     * @return the counter for the next call.
     */
    @Override
    public int idle(final int idleCounter)
    {
        if (idleCounter < spins)
        {
            Thread.onSpinWait();
        }
        else if (idleCounter < spins + yields)
        {
            Thread.yield();
        }
        else
        {
            final int doublings = idleCounter - spins - yields;
            LockSupport.parkNanos(Math.min(maxParkNanos, minParkNanos << doublings));
            return doublings < MAX_DOUBLINGS ? idleCounter + 1 : idleCounter;
        }
        return idleCounter + 1;
    }

    /**
     * Producer: offers until the queue takes the element, backing off meanwhile.
     *
     * @param queue   a queue that never blocks.
     * @param element the element.
     * @param <E>     the element type.
     * @throws InterruptedException when interrupted while the queue is full; the element is not queued.
     */
    <E> void offer(final Queue<E> queue, final E element) throws InterruptedException
    {
        int idleCounter = 0;
        while (!queue.offer(element))
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for room in the queue");
            }
            idleCounter = idle(idleCounter);
        }
    }
}
