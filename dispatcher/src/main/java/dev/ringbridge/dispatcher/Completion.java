package dev.ringbridge.dispatcher;

/**
 * The receiving end of one call: the owner thread completes it exactly once, with a result or a failure.
 */
interface Completion
{
    void succeed(Object result);

    /** A call whose result is a length; overridden where boxing it would allocate. */
    default void succeed(final long length)
    {
        succeed((Object)length);
    }

    void fail(Throwable failure);
}
