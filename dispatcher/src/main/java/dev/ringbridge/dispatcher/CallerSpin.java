package dev.ringbridge.dispatcher;

/**
 * How a caller waiting for its result spins before it parks: a short pure spin (about a microsecond),
 * then yields, because an owner thread sharing this core could not otherwise run the very call waited for.
 */
final class CallerSpin
{
    private static final int SPINS_BEFORE_YIELD = 64;

    private CallerSpin()
    {
    }

    /**
     * @param spins how many times the caller has paused so far, this one included.
     */
    static void pause(final int spins)
    {
        if (spins < SPINS_BEFORE_YIELD)
        {
            Thread.onSpinWait();
        }
        else
        {
            Thread.yield();
        }
    }
}
