package dev.ringbridge.ffi;

/**
 * The default {@link LogSink}: plugin messages go to {@link System.Logger}, prefixed by their target.
 */
final class SystemLoggerSink implements LogSink
{
    static final SystemLoggerSink INSTANCE = new SystemLoggerSink();

    private static final System.Logger LOGGER = System.getLogger("dev.ringbridge.plugin");

    private SystemLoggerSink()
    {
    }

    @Override
    public void log(final LogLevel level, final String target, final String message)
    {
        LOGGER.log(level.systemLevel(), "[{0}] {1}", target, message);
    }
}
