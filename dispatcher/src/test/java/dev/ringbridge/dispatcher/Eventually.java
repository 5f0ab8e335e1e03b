package dev.ringbridge.dispatcher;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The tests' one bounded wait for a state another thread brings about: polls every millisecond, up to 5 s. */
final class Eventually
{
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);

    private Eventually()
    {
    }

    /** @return whether {@code condition} held within 5 s (it is asked once more at the end). */
    static boolean holds(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + BOUND_NANOS;
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
        return condition.getAsBoolean();
    }
}
