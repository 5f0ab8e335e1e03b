package dev.ringbridge.dispatcher;

/**
 * The receiving end of one call. The owner thread completes it exactly once, with the plugin's
 * undecoded answer or with a failure raised before or around the native call; decoding is left to
 * whoever reads the result.
 *
 * <p>An abstract class, not an interface, so that its completing methods stay package-private: a public
 * {@link CallFuture} inherits them, and no code outside the dispatcher may complete a future.
 */
abstract class Completion
{
    /** The plugin answered: its error code (0 for success) and its bytes, as copied out of native memory. */
    abstract void deliver(int code, byte[] body);

    /** A call into the caller's own response segment succeeded with {@code length} bytes. */
    abstract void deliverLength(long length);

    /** The call failed on the host side: refused, never started, or a bad response buffer. */
    abstract void fail(Throwable failure);

    /**
     * Owner thread, before the native call: true when the caller gave up on the call (a cancelled future, an
     * abandoned blocking call), so the owner skips it. One volatile read.
     */
    abstract boolean isCancelled();
}
