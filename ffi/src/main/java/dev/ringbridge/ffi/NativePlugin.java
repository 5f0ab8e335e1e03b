package dev.ringbridge.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One initialised instance of a rustbridge plugin, loaded from a shared library through the FFM API.
 *
 * <p><b>Threads.</b> Every method is safe from any thread. The call methods here open a short-lived
 * {@link CallSession} per call; a thread that calls often (the dispatcher's owner thread) should
 * {@link #openSession() open its own session} once and reuse it, which allocates no native memory per call.
 * {@link #close()} refuses new calls, waits for calls in progress, then shuts the plugin down; from
 * inside a {@link LogSink} it throws instead, since it would wait for the call that is logging.
 *
 * <p><b>One instance per copy of the library.</b> A plugin library keeps its log callback, its log level and its
 * binary handlers in globals of the loaded file, and any instance's shutdown clears them for every instance in that
 * file. So each instance runs in a mapped copy of its own: the first load of a library's content maps a copy, a
 * second instance alive at the same time maps a second, and a copy whose instance has been closed serves the next
 * load of the same content (keyed by sha256). A copy is never unmapped (thread-local destructors would crash the
 * JVM), so the copies of one library number the most instances of it alive at once, however many times it is loaded
 * and closed. Copies are written under the directory named by the system property {@code ringbridge.library.dir}
 * ({@code java.io.tmpdir} by default), which must allow execution.
 *
 * <p><b>Failures.</b> A plugin error becomes a {@link PluginException} with the plugin's code. After a
 * panic the plugin is FAILED: later calls fail at once with code 1 without entering native code. A panic
 * is recognised by code 11 together with the state FAILED that {@code plugin_get_state} then reports,
 * not by its text.
 * Bad input (type tag, request encoding, use after close) is refused before any native call.
 */
public final class NativePlugin implements AutoCloseable
{
    private final Path library;
    private final String name;
    /** The mapped copy of the library this instance runs in, alone (unless a test put two there). */
    private final PluginLibrary copy;
    private final PluginSymbols symbols;
    private final MemorySegment handle;
    private final CallGuard guard = new CallGuard();
    /** Runs once after shutdown; the bundle loader deletes its private copy of the library with it. */
    private final Runnable onClose;
    /** Set once, by whichever calling thread sees the panic; read by every call. */
    private volatile String failure;

    private NativePlugin(final Path library, final PluginLibrary copy, final MemorySegment handle, final Runnable onClose)
    {
        this.onClose = onClose;
        this.library = library;
        this.name = library.getFileName().toString();
        this.copy = copy;
        this.symbols = copy.symbols();
        this.handle = handle;
    }

    /**
     * Loads a plugin with the default configuration, logging to {@link System.Logger}.
     *
     * @param library path of the plugin's shared library.
     * @return the running plugin.
     * @throws PluginLoadException when the file cannot be loaded or the plugin does not start.
     */
    public static NativePlugin load(final Path library) throws PluginLoadException
    {
        return load(library, PluginConfig.defaults(), LogSink.systemLogger());
    }

    /**
     * Loads a plugin, logging to {@link System.Logger}.
     *
     * @param library path of the plugin's shared library.
     * @param config  the configuration passed to {@code plugin_init}.
     * @return the running plugin.
     * @throws PluginLoadException when the file cannot be loaded or the plugin does not start.
     */
    public static NativePlugin load(final Path library, final PluginConfig config) throws PluginLoadException
    {
        return load(library, config, LogSink.systemLogger());
    }

    /**
     * Loads a plugin: maps a copy of the library that no other live instance uses (a free one of the same content,
     * or a new one), checks its symbols, then {@code plugin_create} and {@code plugin_init}. Instances loaded this way
     * never share their log callback, log level or binary handlers, so closing one leaves the others untouched.
     *
     * @param library path of the plugin's shared library.
     * @param config  the configuration passed to {@code plugin_init}.
     * @param sink    where the plugin's log messages go.
     * @return the running plugin.
     * @throws PluginLoadException when the file is missing or not a shared library, a required symbol is
     *                             missing (named), or {@code plugin_create}/{@code plugin_init} return NULL.
     */
    public static NativePlugin load(final Path library, final PluginConfig config, final LogSink sink) throws PluginLoadException
    {
        return load(library, config, sink, () -> {});
    }

    /**
     * Loads a plugin like {@link #load(Path, PluginConfig, LogSink)}, and runs {@code onClose} once
     * {@link #close()} has shut the plugin down. The bundle loader uses it to delete the private
     * directory it extracted the library to.
     *
     * @param library path of the plugin's shared library.
     * @param config  the configuration passed to {@code plugin_init}.
     * @param sink    where the plugin's log messages go.
     * @param onClose runs once, on the thread that closes the plugin, after the shutdown; it is not
     *                run when this method throws (the caller still owns the cleanup then).
     * @return the running plugin.
     * @throws PluginLoadException as {@link #load(Path, PluginConfig, LogSink)} does.
     */
    public static NativePlugin load(final Path library, final PluginConfig config, final LogSink sink, final Runnable onClose)
        throws PluginLoadException
    {
        Objects.requireNonNull(onClose, "onClose must not be null");
        Objects.requireNonNull(library, "library path must not be null");
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(sink, "log sink must not be null");
        if (!Files.isRegularFile(library))
        {
            throw new PluginLoadException("plugin library not found or not a regular file: " + library.toAbsolutePath());
        }
        final Path realPath;
        try
        {
            realPath = library.toRealPath();
        }
        catch (final java.io.IOException e)
        {
            throw new PluginLoadException("cannot resolve plugin library path " + library.toAbsolutePath(), e);
        }
        final PluginLibrary copy = LibraryCopies.acquire(realPath);
        try
        {
            return start(realPath, copy, config, sink, () ->
            {
                try
                {
                    onClose.run();
                }
                finally
                {
                    LibraryCopies.release(copy);
                }
            });
        }
        catch (final PluginLoadException | RuntimeException | Error e)
        {
            // No instance runs in the copy: plugin_create or plugin_init failed before one existed.
            LibraryCopies.release(copy);
            throw e;
        }
    }

    /**
     * Creates and initialises an instance in {@code copy}: {@code plugin_create}, then {@code plugin_init} with
     * the copy's log callback. Package-private so that a test can put two instances in one copy, the hazard
     * {@link #load} avoids.
     */
    static NativePlugin start(final Path realPath, final PluginLibrary copy, final PluginConfig config, final LogSink sink,
        final Runnable onClose) throws PluginLoadException
    {
        final PluginSymbols symbols = copy.symbols();
        final LogRouter router = copy.logRouter();
        router.sink(sink);

        final MemorySegment created = symbols.pluginCreate();
        if (MemorySegment.NULL.equals(created))
        {
            throw new PluginLoadException("plugin_create returned NULL for " + realPath);
        }
        final MemorySegment handle;
        try (Arena scratch = Arena.ofConfined())
        {
            final byte[] json = config.toJson();
            final MemorySegment configSegment = scratch.allocate(json.length);
            MemorySegment.copy(json, 0, configSegment, JAVA_BYTE, 0, json.length);
            handle = symbols.pluginInit(created, configSegment, json.length, router.stub());
        }
        if (MemorySegment.NULL.equals(handle))
        {
            final String logged = router.lastError();
            throw new PluginLoadException("plugin_init returned NULL for " + realPath
                + ": the plugin refused its configuration " + config + " or failed to start"
                + (logged == null ? " (see its log)" : ": " + logged));
        }
        return new NativePlugin(realPath, copy, handle, onClose);
    }

    /**
     * Opens the reusable call path for the calling thread. See {@link CallSession} for its thread rules.
     *
     * @return a session owned by the calling thread.
     * @throws IllegalStateException when the plugin is closed.
     */
    public CallSession openSession()
    {
        checkOpen();
        return new CallSession(this, 4096);
    }

    /**
     * Calls a JSON handler from any thread. See {@link CallSession#call(String, String)}.
     *
     * @param typeTag the handler's type tag.
     * @param json    the request JSON.
     * @return the response payload's JSON text.
     * @throws PluginException when the plugin answers with an error.
     */
    public String call(final String typeTag, final String json) throws PluginException
    {
        try (CallSession session = new CallSession(this, json == null ? 16 : json.length()))
        {
            return session.call(typeTag, json);
        }
    }

    /**
     * Calls a JSON handler from any thread with UTF-8 bytes. See {@link CallSession#call(String, byte[])}.
     *
     * @param typeTag the handler's type tag.
     * @param request UTF-8 JSON bytes.
     * @return the response payload's JSON text as UTF-8 bytes.
     * @throws PluginException when the plugin answers with an error.
     */
    public byte[] call(final String typeTag, final byte[] request) throws PluginException
    {
        try (CallSession session = new CallSession(this, request == null ? 16 : request.length))
        {
            return session.call(typeTag, request);
        }
    }

    /**
     * Calls a binary handler from any thread. See {@link CallSession#callRaw(int, byte[])}.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes.
     * @return the response bytes.
     * @throws PluginException when the plugin answers with an error.
     */
    public byte[] callRaw(final int messageId, final byte[] request) throws PluginException
    {
        try (CallSession session = new CallSession(this, request == null ? 16 : request.length))
        {
            return session.callRaw(messageId, request);
        }
    }

    /**
     * Returns true when the plugin exports {@code plugin_call_raw} and {@code rb_response_free}.
     *
     * @return true when the plugin exports {@code plugin_call_raw} and {@code rb_response_free}.
     */
    public boolean hasBinaryTransport()
    {
        return symbols.hasBinaryTransport();
    }

    /**
     * Returns true once a call panicked and left the plugin FAILED: later calls fail at once without entering it.
     * One volatile read, unlike {@link #state()}, which asks the plugin.
     *
     * @return true once a call panicked and left the plugin FAILED.
     */
    public boolean isFailed()
    {
        return failure != null;
    }

    /**
     * Returns the plugin's lifecycle state; {@link LifecycleState#STOPPED} once closed.
     *
     * @return the plugin's lifecycle state; {@link LifecycleState#STOPPED} once closed.
     */
    public LifecycleState state()
    {
        if (!guard.enter())
        {
            return LifecycleState.STOPPED;
        }
        try
        {
            final int code = symbols.pluginGetState(handle);
            if (code == 255)
            {
                throw new IllegalStateException("plugin " + name + " reports its handle as invalid");
            }
            return LifecycleState.fromCode(code);
        }
        finally
        {
            guard.exit();
        }
    }

    /**
     * Sets the log level of the plugin's library (shared by every instance of that library).
     *
     * @param level the new level.
     * @throws IllegalStateException when the plugin is closed.
     */
    public void setLogLevel(final LogLevel level)
    {
        Objects.requireNonNull(level, "level must not be null");
        enter();
        try
        {
            symbols.pluginSetLogLevel(handle, (byte)level.code());
        }
        finally
        {
            guard.exit();
        }
    }

    /**
     * Returns how many calls the plugin refused with code 13 because of its {@code max_concurrent_ops} limit.
     *
     * @return how many calls the plugin refused with code 13 because of its {@code max_concurrent_ops} limit.
     * @throws IllegalStateException when the plugin is closed.
     */
    public long rejectedCount()
    {
        enter();
        try
        {
            return symbols.pluginGetRejectedCount(handle);
        }
        finally
        {
            guard.exit();
        }
    }

    /**
     * Returns the library's file name, used in messages.
     *
     * @return the library's file name, used in messages.
     */
    public String name()
    {
        return name;
    }

    /**
     * Returns the real path of the loaded library.
     *
     * @return the real path of the loaded library.
     */
    public Path libraryPath()
    {
        return library;
    }

    /**
     * Returns true once {@link #close()} has begun.
     *
     * @return true once {@link #close()} has begun.
     */
    public boolean isClosed()
    {
        return guard.isClosed();
    }

    /**
     * Refuses new calls, waits for calls in progress and shuts the plugin down.
     * Idempotent and safe from any thread but one: a second call returns at once.
     *
     * <p>Not from a {@link LogSink}. A sink runs on a thread that is inside a plugin call, or on a
     * thread such a call waits for, so waiting for the calls to end would never return. There,
     * {@code close()} throws at once and leaves the plugin open; hand the plugin to another thread
     * (an executor, say) to close it.
     *
     * @throws IllegalStateException when called from inside a {@link LogSink} while the plugin is open.
     */
    @Override
    public void close()
    {
        if (LogRouter.inSink() && !guard.isClosed())
        {
            throw new IllegalStateException("plugin " + name + " cannot be closed from inside a LogSink: the sink runs on a"
                + " thread that is inside a plugin call or that a call waits for, and close() waits for every call to end;"
                + " close it from another thread (hand it to an executor, for example)");
        }
        if (guard.close())
        {
            try
            {
                symbols.pluginShutdown(handle);
            }
            finally
            {
                onClose.run();
            }
        }
    }

    @Override
    public String toString()
    {
        return "NativePlugin[" + library + (isClosed() ? ", closed" : "") + "]";
    }

    PluginLibrary copy()
    {
        return copy;
    }

    PluginSymbols symbols()
    {
        return symbols;
    }

    MemorySegment handle()
    {
        return handle;
    }

    /** Admits one call, or throws when the plugin is closed or FAILED. Pair with {@link #exit()}. */
    void enter() throws IllegalStateException
    {
        if (!guard.enter())
        {
            throw closedException();
        }
    }

    void exit()
    {
        guard.exit();
    }

    /**
     * Throws at once when an earlier call left the plugin FAILED.
     */
    void checkNotFailed() throws PluginException
    {
        final String panic = failure;
        if (panic != null)
        {
            throw new PluginException(ErrorKind.INVALID_STATE.code(), "plugin " + name
                + " is FAILED after a panic and accepts no more calls; load it again (the panic was: " + panic + ")");
        }
    }

    /**
     * Turns an error answer into its exception, and remembers a panic so later calls fail fast.
     *
     * <p>A caught panic answers code 11 (INTERNAL) and leaves the plugin FAILED, but its text is the
     * plugin framework's choice, and an ordinary internal error answers code 11 too. So for code 11
     * the plugin is asked for its state ({@code plugin_get_state}), and only FAILED counts. Must be
     * called before the caller {@link #exit()}s, while the handle is certainly valid.
     *
     * @param code    the plugin's error code.
     * @param message its error text.
     * @return the exception to throw.
     */
    PluginException failure(final int code, final String message)
    {
        if (code == ErrorKind.INTERNAL.code() && symbols.pluginGetState(handle) == LifecycleState.FAILED.code())
        {
            failure = message;
        }
        return new PluginException(code, message);
    }

    private void checkOpen()
    {
        if (guard.isClosed())
        {
            throw closedException();
        }
    }

    private IllegalStateException closedException()
    {
        return new IllegalStateException("plugin " + name + " is closed");
    }
}
