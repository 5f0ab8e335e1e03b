package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.NativePlugin;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Builds and starts a {@link PluginDispatcher}; from {@link PluginDispatcher#builder(NativePlugin)}.
 * Not thread-safe.
 */
public final class DispatcherBuilder
{
    /** The plugin, or null for a dispatcher over an in-process fake (tests only). */
    final NativePlugin plugin;
    final PluginPort port;
    int capacity = 1024;
    WaitMode waitMode = WaitMode.BACKOFF;
    long callerSpinNanos = -1;
    String threadName;
    boolean metrics = true;
    int typeLimit = 16;
    boolean daemon;
    boolean closePlugin = true;
    Executor completionExecutor;
    CallOptions defaultTimeout;
    int highCapacity;
    int maxHighInARow;
    Runnable onPluginFailed;

    DispatcherBuilder(final NativePlugin plugin)
    {
        this.plugin = Objects.requireNonNull(plugin, "plugin must not be null");
        this.port = new NativePort(plugin);
    }

    /** A dispatcher over any port: the tests' in-process fake. */
    DispatcherBuilder(final PluginPort port)
    {
        this.plugin = null;
        this.port = port;
    }

    /**
     * Returns this builder.
     *
     * @param capacity the most calls accepted and not yet finished; any positive number up to 2^29 (default 1024).
     * Exact: the ring is the next power of two, and its spare slots are never handed out.
     * @return this builder.
     */
    public DispatcherBuilder capacity(final int capacity)
    {
        if (capacity < 1 || capacity > (1 << 29))
        {
            throw new IllegalArgumentException("capacity must be between 1 and 2^29, was " + capacity);
        }
        this.capacity = capacity;
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param waitMode how the owner thread and waiting callers wait (default {@link WaitMode#BACKOFF}).
     * @return this builder.
     */
    public DispatcherBuilder waitMode(final WaitMode waitMode)
    {
        this.waitMode = Objects.requireNonNull(waitMode, "waitMode must not be null");
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param spin how long a caller waiting for its result ({@code call}, {@code get}, {@code join}) spins before
     * it parks (default per wait mode; never on virtual threads).
     * @return this builder.
     */
    public DispatcherBuilder callerSpin(final Duration spin)
    {
        if (spin.isNegative())
        {
            throw new IllegalArgumentException("callerSpin must not be negative, was " + spin);
        }
        this.callerSpinNanos = spin.toNanos();
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param threadName the owner thread's name (default {@code ringbridge-<library file>}).
     * @return this builder.
     */
    public DispatcherBuilder threadName(final String threadName)
    {
        this.threadName = Objects.requireNonNull(threadName, "threadName must not be null");
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param enabled record per-call latency histograms (default true; counters are always kept).
     * @return this builder.
     */
    public DispatcherBuilder metrics(final boolean enabled)
    {
        this.metrics = enabled;
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param limit how many call types the metrics count apart (default 16); calls of further types are counted
     *              together as {@code (other)}. Each type costs two latency histograms (service time and end to end)
     *              three times over (the writer's two phases and the total), a few hundred KiB at most.
     * @return this builder.
     * @throws IllegalArgumentException when {@code limit} is negative or above 1000.
     */
    public DispatcherBuilder typeLimit(final int limit)
    {
        if (limit < 0 || limit > 1000)
        {
            throw new IllegalArgumentException("typeLimit must be between 0 and 1000, not " + limit);
        }
        this.typeLimit = limit;
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param daemon whether the owner thread is a daemon thread (default false: close the dispatcher).
     * @return this builder.
     */
    public DispatcherBuilder daemon(final boolean daemon)
    {
        this.daemon = daemon;
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param closePlugin whether shutdown closes the plugin (default true).
     * @return this builder.
     */
    public DispatcherBuilder closePlugin(final boolean closePlugin)
    {
        this.closePlugin = closePlugin;
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param executor where the dependent stages of futures run (and where their results are decoded) instead
     * of the owner thread; also the default executor of the futures' {@code *Async} methods.
     * @return this builder.
     */
    public DispatcherBuilder completionExecutor(final Executor executor)
    {
        this.completionExecutor = Objects.requireNonNull(executor, "executor must not be null");
        return this;
    }

    /**
     * Sets the deadline of every call that sets none.
     *
     * @param timeout the deadline, counted from submit, of every call that sets none in its {@link CallOptions}
     *                (default none). Applies to {@code submit}, {@code trySubmit}, {@code submitAll} and
     *                {@code call} with options; not to {@code call} without a timeout nor to {@code callRaw}, whose
     *                callers wait as long as it takes.
     * @return this builder.
     */
    public DispatcherBuilder defaultTimeout(final Duration timeout)
    {
        this.defaultTimeout = CallOptions.timeout(timeout);
        return this;
    }

    /**
     * Adds a {@link Lane#HIGH high lane}: a second ring with its own capacity and backpressure, drained by the same
     * owner thread (the plugin is still never entered concurrently). The owner serves high calls first; after
     * {@code maxHighInARow} of them in a row it serves one normal call, so normal calls are never starved. Without
     * this, the dispatcher has one ring and its owner pays nothing for lanes.
     *
     * @param capacity      the most high calls accepted and not yet finished (1 to 2^29).
     * @param maxHighInARow high calls served in a row before one normal call (at least 1).
     * @return this builder.
     */
    public DispatcherBuilder highLane(final int capacity, final int maxHighInARow)
    {
        if (capacity < 1 || capacity > (1 << 29))
        {
            throw new IllegalArgumentException("high lane capacity must be between 1 and 2^29, was " + capacity);
        }
        if (maxHighInARow < 1)
        {
            throw new IllegalArgumentException("maxHighInARow must be at least 1, was " + maxHighInARow);
        }
        this.highCapacity = capacity;
        this.maxHighInARow = maxHighInARow;
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param action runs once, on the owner thread, right after the call whose panic left the plugin FAILED (before
     *               the calls queued behind it, which then fail at once). For alerting, or for replacing the instance;
     *               it must not block: hand any work to another thread. {@link PluginPool} uses it to restart instances.
     * @return this builder.
     */
    public DispatcherBuilder onPluginFailed(final Runnable action)
    {
        this.onPluginFailed = Objects.requireNonNull(action, "action must not be null");
        return this;
    }

    /**
     * Starts the owner thread.
     *
     * @return the running dispatcher.
     * @throws IllegalStateException when the plugin is already closed.
     */
    public PluginDispatcher build()
    {
        if (port.isClosed())
        {
            throw new IllegalStateException("plugin " + port.name() + " is closed");
        }
        return new PluginDispatcher(this);
    }
}
