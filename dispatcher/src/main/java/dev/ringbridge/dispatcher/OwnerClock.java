package dev.ringbridge.dispatcher;

/**
 * The owner thread's last clock reading: the end of its last call, or the end of its last wait for work. With
 * metrics on, the owner reads the clock once per call (the end of one call is the start of the next) and once
 * after each wait. Owner thread only: a plain field in an object no other thread touches.
 */
final class OwnerClock
{
    private long nanos = System.nanoTime();

    long get()
    {
        return nanos;
    }

    void set(final long nanos)
    {
        this.nanos = nanos;
    }
}
