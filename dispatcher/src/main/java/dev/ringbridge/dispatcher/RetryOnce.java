package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.PluginException;

/**
 * The completion of an idempotent call in a {@link PluginPool}: answers reach the caller's future unchanged, but a call
 * that failed because its instance had panicked before it ran is handed to the {@link Supervisor}, once, to run on the
 * instance that replaces it. The call that panicked is never retried (it might panic again).
 *
 * <p>Touched by one thread at a time: the submitting thread sets {@link #target} before publishing (the publish
 * orders it before the owner's read), the failed instance's owner thread hands this to the supervisor, which hands
 * it to the thread that resubmits it.
 */
final class RetryOnce extends Completion
{
    final PoolSlot slot;
    final CallType<?, ?> type;
    final byte[] encoded;
    final CallOptions options;
    final CallFuture<?> caller;
    private final Supervisor supervisor;
    private PluginDispatcher target;
    private boolean retried;

    RetryOnce(final Supervisor supervisor, final PoolSlot slot, final CallType<?, ?> type, final byte[] encoded,
        final CallOptions options, final CallFuture<?> caller)
    {
        this.supervisor = supervisor;
        this.slot = slot;
        this.type = type;
        this.encoded = encoded;
        this.options = options;
        this.caller = caller;
    }

    /**
     * Publishes the call to {@code instance}; on the submitting thread, or on a retry thread for the replacement.
     *
     * @return false only without {@code wait}, when the instance had no room.
     */
    boolean offerTo(final PluginDispatcher instance, final boolean wait) throws InterruptedException
    {
        target = instance;
        return instance.offer(type, encoded, options, this, wait);
    }

    @Override
    void deliver(final int code, final byte[] body)
    {
        caller.deliver(code, body);
    }

    @Override
    void deliverLength(final long length)
    {
        caller.deliverLength(length);
    }

    @Override
    void fail(final Throwable failure)
    {
        if (!retried && failedBeforeRunning(failure))
        {
            retried = true;
            supervisor.retryOnReplacement(this, failure);
        }
        else
        {
            caller.fail(failure);
        }
    }

    @Override
    boolean isCancelled()
    {
        return caller.isCancelled();
    }

    /** Refused by an instance that a panic left FAILED: the plugin was not entered for this call. */
    private boolean failedBeforeRunning(final Throwable failure)
    {
        return failure instanceof PluginException refused && refused.kind() == ErrorKind.INVALID_STATE && target.plugin().isFailed();
    }
}
