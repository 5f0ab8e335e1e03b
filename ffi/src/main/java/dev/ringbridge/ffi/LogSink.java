package dev.ringbridge.ffi;

/**
 * Receives the log messages a plugin emits through its log callback.
 *
 * <p>Called synchronously on whatever native thread logged, possibly several at once: an
 * implementation must be thread-safe and quick. An exception it throws is caught and reported
 * to {@link System.Logger}; it never reaches the native side. The call that logged waits for
 * the sink, so a sink must not wait for that call: {@link NativePlugin#close()} throws
 * {@link IllegalStateException} when called from a sink.
 */
@FunctionalInterface
public interface LogSink
{
    /**
     * Receives one log message of the plugin.
     *
     * @param level   the level of the message.
     * @param target  the plugin's log target (a module path such as {@code sync_demo}).
     * @param message the message text.
     */
    void log(LogLevel level, String target, String message);

    /**
     * Returns a sink that writes to the {@link System.Logger} named {@code dev.ringbridge.plugin}.
     *
     * @return a sink that writes to the {@link System.Logger} named {@code dev.ringbridge.plugin}.
     */
    static LogSink systemLogger()
    {
        return SystemLoggerSink.INSTANCE;
    }
}
