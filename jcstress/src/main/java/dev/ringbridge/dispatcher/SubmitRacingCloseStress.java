package dev.ringbridge.dispatcher;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.RejectedExecutionException;

/**
 * A submit racing {@code close()}: the producer claims a slot and publishes it while the closer shuts the gate and
 * publishes STOP. A call the producer reports as accepted must lie before STOP (the owner runs it, so its future
 * completes); a call published behind STOP must be reported as rejected (the owner never runs it, so no future may
 * be handed out). r1 is what the producer saw, r2 whether that agrees with where STOP landed.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "accepted, before STOP: the owner runs it")
@Outcome(id = "2, 1", expect = Expect.ACCEPTABLE_INTERESTING, desc = "published behind STOP and rejected by the producer itself")
@Outcome(id = "3, 1", expect = Expect.ACCEPTABLE, desc = "refused before claiming: the gate was closed")
@Outcome(id = ".*, 0", expect = Expect.FORBIDDEN, desc = "accepted behind STOP (a future never completes) or rejected before it")
@State
public class SubmitRacingCloseStress
{
    private static final int ACCEPTED = 1;
    private static final int REJECTED_BEHIND_STOP = 2;
    private static final int REFUSED = 3;

    private final RingBuffer<CallEvent> ring = RingBuffer.createMultiProducer(CallEvent::new, 4, new BlockingWaitStrategy());
    private final ClaimGate gate = new ClaimGate(ring, 4);
    private long sequence = -1;

    @Actor
    public void producer(final II_Result r)
    {
        try
        {
            sequence = gate.claim(1);
            try
            {
                gate.publish(sequence, sequence);
                r.r1 = ACCEPTED;
            }
            catch (final RejectedExecutionException behindStop)
            {
                r.r1 = REJECTED_BEHIND_STOP;
            }
        }
        catch (final RejectedExecutionException closed)
        {
            r.r1 = REFUSED;
        }
        catch (final InterruptedException e)
        {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void closer()
    {
        gate.close(false);
    }

    @Arbiter
    public void check(final II_Result r)
    {
        final long stop = gate.stopSequence();
        r.r2 = switch (r.r1)
        {
            case ACCEPTED -> sequence < stop ? 1 : 0;
            case REJECTED_BEHIND_STOP -> sequence > stop ? 1 : 0;
            default -> 1;
        };
    }
}
