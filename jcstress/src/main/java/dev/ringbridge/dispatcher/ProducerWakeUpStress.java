package dev.ringbridge.dispatcher;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * A producer blocked on a full ring (capacity 1) while the owner finishes the call in the way: it releases the
 * room and ends its batch, as it does after every batch. The producer queues itself and re-checks; the owner
 * stores the room, fences and looks for waiters. The producer must get the room.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the producer claimed the freed slot")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "a lost wake-up: the producer sleeps with room in the ring")
@State
public class ProducerWakeUpStress
{
    private final RingBuffer<CallEvent> ring = RingBuffer.createMultiProducer(CallEvent::new, 1, new BlockingWaitStrategy());
    private final ClaimGate gate = new ClaimGate(ring, 1);
    private final long first;

    public ProducerWakeUpStress()
    {
        try
        {
            first = gate.claim(1);
        }
        catch (final InterruptedException e)
        {
            throw new IllegalStateException(e);
        }
        gate.publish(first, first);
    }

    @Actor
    public void producer() throws InterruptedException
    {
        final long sequence = gate.claim(1);
        gate.publish(sequence, sequence);
    }

    @Signal
    public void owner()
    {
        gate.release(first);
        gate.endOfBatch();
    }
}
