package dev.ringbridge.dispatcher;

/**
 * The receiving end of one call: the owner thread completes it exactly once, with a result or a failure.
 */
interface Completion
{
    void succeed(Object result);

    void fail(Throwable failure);
}
