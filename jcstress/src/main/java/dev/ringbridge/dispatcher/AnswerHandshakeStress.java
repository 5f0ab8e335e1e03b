package dev.ringbridge.dispatcher;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.TimeUnit;

/**
 * The owner's answer racing a caller that spins, then parks: the caller must see the code and the body the owner
 * wrote before it settled the answer (release and acquire on the state), and must not sleep through the owner's
 * unpark (r3: it waited out a one-second park).
 */
@JCStressTest
@Outcome(id = "7, 1, 0", expect = Expect.ACCEPTABLE, desc = "the whole answer, promptly")
@Outcome(id = ".*, .*, 1", expect = Expect.FORBIDDEN, desc = "a lost wake-up: the caller slept until its deadline")
@Outcome(expect = Expect.FORBIDDEN, desc = "the answer seen without what was written before it")
@State
public class AnswerHandshakeStress
{
    private static final byte[] BODY = {1, 2, 3};

    private final Answer answer = new Answer()
    {
        @Override
        public void deliverLength(final long length)
        {
            throw new UnsupportedOperationException();
        }
    };

    @Actor
    public void owner()
    {
        answer.deliver(7, BODY);
    }

    @Actor
    public void caller(final III_Result r)
    {
        final long start = System.nanoTime();
        while (answer.parkOnce(start + TimeUnit.SECONDS.toNanos(1)) < Answer.DONE)
        {
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(1))
            {
                r.r3 = 1;
                break;
            }
        }
        r.r1 = answer.code;
        r.r2 = answer.body == BODY ? 1 : 0;
    }
}
