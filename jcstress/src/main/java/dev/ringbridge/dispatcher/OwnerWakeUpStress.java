package dev.ringbridge.dispatcher;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The idle owner parks in {@link ParkingWaitStrategy} (BLOCKING: no spin) while a producer publishes the call it
 * waits for. The producer issues no fence of its own and unparks only a sleeping owner: the owner must wake all
 * the same.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the owner saw the call")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "a lost wake-up: the owner sleeps with work in the ring")
@State
public class OwnerWakeUpStress
{
    private final RingBuffer<CallEvent> ring = RingBuffer.createMultiProducer(CallEvent::new, 8, new ParkingWaitStrategy(0, 0));
    private final SequenceBarrier barrier = ring.newBarrier();

    @Actor
    public void owner() throws AlertException, InterruptedException, TimeoutException
    {
        barrier.waitFor(0);
    }

    @Signal
    public void producer()
    {
        final long sequence = ring.next();
        ring.publish(sequence);
    }
}
