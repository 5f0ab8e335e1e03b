package dev.ringbridge.dispatcher;

import com.lmax.disruptor.ExceptionHandler;

/**
 * Logs and carries on: the Disruptor's default handler rethrows, which would kill the owner thread and leave
 * producers blocked on a full ring. {@link CallHandler} catches everything itself; this is the last net.
 */
final class LoggingExceptionHandler implements ExceptionHandler<CallEvent>
{
    private static final System.Logger LOGGER = System.getLogger(PluginDispatcher.class.getName());

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final CallEvent event)
    {
        LOGGER.log(System.Logger.Level.ERROR, "ringbridge owner thread: unexpected exception at sequence " + sequence, ex);
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        LOGGER.log(System.Logger.Level.ERROR, "ringbridge owner thread failed to start", ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        LOGGER.log(System.Logger.Level.WARNING, "ringbridge owner thread failed to shut down cleanly", ex);
    }
}
