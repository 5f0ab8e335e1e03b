package dev.ringbridge.dispatcher;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

/**
 * The owner thread's loop when the dispatcher has a high lane: one ring per lane, each read through its own
 * Disruptor {@link EventPoller}, every event handed to the one {@link CallHandler}, so the plugin is still entered
 * by this thread alone. (Without lanes the owner runs a plain {@code BatchEventProcessor} and none of this.)
 *
 * <p><b>Order.</b> Each turn serves up to {@code maxHighInARow} high calls, then one normal call, then looks at the
 * high lane again. So a high call waits for at most the call running and one normal call; a normal call waits for
 * at most {@code maxHighInARow} high calls per normal call ahead of it.
 *
 * <p><b>Waiting.</b> When both lanes are empty the owner waits through the dispatcher's wait strategy, which both
 * rings share: a publish to either ring signals it. The strategy waits on {@link LaneWork}, a sequence that is the
 * sum of the lanes' claim cursors; the owner waits for it to pass the sum of what it has consumed. A claim in
 * either lane moves it with the ring's CAS, so the wait strategy's no-lost-wake-up argument (see
 * {@link ParkingWaitStrategy}) holds for both lanes.
 *
 * <p><b>Shutdown.</b> Each lane ends with its own STOP; a lane whose STOP was consumed is no longer polled (a call
 * behind it is rejected by its own producer), and the handler releases the plugin and halts this loop after the
 * last STOP.
 *
 * <p>Owner thread only, but for {@link #halt()}, which the handler calls on it too.
 */
final class LaneProcessor implements Runnable
{
    private static final System.Logger LOGGER = System.getLogger(LaneProcessor.class.getName());

    private final CallHandler handler;
    private final Drain high;
    private final Drain normal;
    private final int maxHighInARow;
    private final WaitStrategy waitStrategy;
    private final Sequence cursor;
    private final SequenceBarrier barrier;
    private final LaneWork work = new LaneWork();
    /** Owner thread only: cleared by the handler, on this thread, after the last STOP. */
    private boolean running = true;

    LaneProcessor(final CallHandler handler, final RingBuffer<CallEvent> highRing, final ClaimGate highGate,
        final RingBuffer<CallEvent> normalRing, final ClaimGate normalGate, final int maxHighInARow,
        final WaitStrategy waitStrategy)
    {
        this.handler = handler;
        this.high = new Drain(highRing, highGate);
        this.normal = new Drain(normalRing, normalGate);
        this.maxHighInARow = maxHighInARow;
        this.waitStrategy = waitStrategy;
        this.barrier = normalRing.newBarrier();
        this.cursor = new Sequence();
    }

    void halt()
    {
        running = false;
    }

    @Override
    public void run()
    {
        handler.onStart();
        while (running)
        {
            final int served = high.poll(maxHighInARow);
            if (!running)
            {
                break;
            }
            if (normal.poll(1) + served == 0 && running)
            {
                awaitWork();
            }
        }
    }

    private void awaitWork()
    {
        try
        {
            waitStrategy.waitFor(work.consumed() + 1, cursor, work, barrier);
        }
        catch (final Exception e)
        {
            // No alert, timeout or interrupt is used on this barrier; carry on polling whatever happened.
            LOGGER.log(System.Logger.Level.DEBUG, "the owner's wait for work ended early", e);
        }
    }

    /** One lane: its poller and gate, and how many calls the current turn may still serve. */
    private final class Drain implements EventPoller.Handler<CallEvent>
    {
        private final RingBuffer<CallEvent> ring;
        private final EventPoller<CallEvent> poller;
        private final ClaimGate gate;
        private int quota;
        private int served;
        /** Set when this lane's STOP was consumed: nothing behind it is ever run. */
        private boolean stopped;

        Drain(final RingBuffer<CallEvent> ring, final ClaimGate gate)
        {
            this.ring = ring;
            this.poller = ring.newPoller();
            this.gate = gate;
        }

        /** @return the calls served, at most {@code quota}. */
        int poll(final int quota)
        {
            if (stopped)
            {
                return 0;
            }
            this.quota = quota;
            served = 0;
            try
            {
                poller.poll(this);
            }
            catch (final Throwable t)
            {
                // The handler completes every call itself and lets nothing escape; this is a bug. Keep draining.
                LOGGER.log(System.Logger.Level.ERROR, "ringbridge lane poll threw", t);
            }
            return served;
        }

        @Override
        public boolean onEvent(final CallEvent event, final long sequence, final boolean endOfBatch)
        {
            final byte kind = event.kind;
            if (kind == CallEvent.STOP)
            {
                stopped = true;
                handler.handle(event, sequence, endOfBatch, gate);
                return false;
            }
            // A turn ending before the lane's batch does is not its end: the lane is polled again and its gate's
            // end-of-batch check comes with the batch's true last call.
            handler.handle(event, sequence, endOfBatch, gate);
            return kind == CallEvent.NOOP || ++served < quota;
        }
    }

    /** The wait strategy's view of both lanes: the sum of the claim cursors of the lanes still open. */
    private final class LaneWork extends Sequence
    {
        @Override
        public long get()
        {
            return cursorOf(high) + cursorOf(normal);
        }

        long consumed()
        {
            return consumedOf(high) + consumedOf(normal);
        }

        private long cursorOf(final Drain drain)
        {
            return drain.stopped ? 0 : drain.ring.getCursor();
        }

        private long consumedOf(final Drain drain)
        {
            return drain.stopped ? 0 : drain.poller.getSequence().get();
        }
    }
}
