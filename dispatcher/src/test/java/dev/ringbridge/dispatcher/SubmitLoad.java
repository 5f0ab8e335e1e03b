package dev.ringbridge.dispatcher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Producers that submit until the dispatcher refuses them; every future they got is kept. */
final class SubmitLoad
{
    final List<CallFuture<String>> futures = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final AtomicLong rejectedSubmits = new AtomicLong();
    final AtomicBoolean unexpected = new AtomicBoolean();

    SubmitLoad(final Dispatcher dispatcher, final int producers, final String typeTag, final String json)
    {
        for (int p = 0; p < producers; p++)
        {
            threads.add(Thread.ofPlatform().start(() ->
            {
                while (true)
                {
                    try
                    {
                        futures.add(dispatcher.submit(CallType.json(typeTag), json));
                    }
                    catch (final RejectedExecutionException e)
                    {
                        rejectedSubmits.incrementAndGet();
                        return;
                    }
                    catch (final Throwable t)
                    {
                        unexpected.set(true);
                        return;
                    }
                }
            }));
        }
    }

    void awaitFutures(final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (futures.size() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
    }

    void join() throws InterruptedException
    {
        for (final Thread thread : threads)
        {
            thread.join(10_000);
            assertFalse(thread.isAlive(), "every producer is released");
        }
        assertFalse(unexpected.get());
        assertEquals(threads.size(), rejectedSubmits.get(), "each producer ends with a clear rejection");
    }
}
