package dev.ringbridge.dispatcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs test code inside a future's callback on the dispatcher's owner thread. A callback attached
 * after its call finished runs on the attaching thread instead, so this retries until it lands.
 */
final class OwnerCallbacks
{
    private OwnerCallbacks()
    {
    }

    /**
     * @return a latch counted down once {@code body} has started on the owner thread.
     */
    static CountDownLatch runOnOwner(final PluginDispatcher dispatcher, final Runnable body) throws InterruptedException
    {
        final CountDownLatch started = new CountDownLatch(1);
        while (true)
        {
            dispatcher.submit(CallType.json("sleep"), "{\"duration_ms\":20}").thenRun(() ->
            {
                if (Thread.currentThread() == dispatcher.ownerThread())
                {
                    started.countDown();
                    body.run();
                }
            });
            if (started.await(1, TimeUnit.SECONDS))
            {
                return started;
            }
        }
    }
}
