package dev.ringbridge.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

/**
 * The log callback of one plugin library file, and where its messages go.
 *
 * <p>A library keeps one callback slot for all its instances, and a failed {@code plugin_init}
 * leaves the callback registered (plugin-abi.md section 1.3). Freeing an upcall stub the library
 * may still call would crash the JVM, so each {@link PluginLibrary} gets exactly one stub,
 * allocated in the global arena and never freed; it routes to the sink of the instance
 * initialised last, which is what the native slot does too.
 */
final class LogRouter
{
    private static final System.Logger LOGGER = System.getLogger(LogRouter.class.getName());
    private static final MethodHandle LOG;
    /**
     * True on a thread while it runs a sink, for {@link NativePlugin#close()}: such a thread may be the
     * one inside a plugin call, or one the call waits for. Set and read by that thread only.
     */
    private static final ThreadLocal<Boolean> IN_SINK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    static
    {
        try
        {
            LOG = MethodHandles.lookup().findVirtual(LogRouter.class, "log",
                MethodType.methodType(void.class, byte.class, MemorySegment.class, MemorySegment.class, long.class));
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment stub;
    /** Written by the thread that loads an instance of this library, read by native logging threads. */
    private volatile LogSink sink = LogSink.systemLogger();
    /** Written by native logging threads; read after a failed init to explain it. */
    private volatile String lastError;

    LogRouter()
    {
        this.stub = Downcalls.linker().upcallStub(LOG.bindTo(this), Downcalls.LOG_CALLBACK, Arena.global());
    }

    MemorySegment stub()
    {
        return stub;
    }

    void sink(final LogSink sink)
    {
        this.sink = sink;
        this.lastError = null;
    }

    String lastError()
    {
        return lastError;
    }

    /**
     * Returns true when the calling thread is running a {@link LogSink}, that is, inside a log upcall.
     *
     * @return true when the calling thread is running a {@link LogSink}, that is, inside a log upcall.
     */
    static boolean inSink()
    {
        return IN_SINK.get();
    }

    /** The upcall target. It must never throw: an exception escaping an upcall ends the JVM. */
    private void log(final byte level, final MemorySegment target, final MemorySegment message, final long length)
    {
        try
        {
            final LogLevel logLevel = LogLevel.fromCode(level);
            final String targetText = MemorySegment.NULL.equals(target) ? "" : target.reinterpret(Long.MAX_VALUE).getString(0);
            final String text = length <= 0 || MemorySegment.NULL.equals(message)
                ? ""
                : new String(message.reinterpret(length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            if (logLevel == LogLevel.ERROR)
            {
                lastError = text;
            }
            final Boolean outer = IN_SINK.get();
            IN_SINK.set(Boolean.TRUE);
            try
            {
                sink.log(logLevel, targetText, text);
            }
            finally
            {
                IN_SINK.set(outer);
            }
        }
        catch (final Throwable t)
        {
            try
            {
                LOGGER.log(System.Logger.Level.WARNING, "plugin log sink threw; message dropped", t);
            }
            catch (final Throwable ignored)
            {
                // Nothing may escape an upcall.
            }
        }
    }
}
