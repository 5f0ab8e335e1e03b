package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginLoadException;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Builds and starts a {@link PluginPool}; from {@link PluginPool#builder(PluginSource)}. The plugin's configuration
 * is the source's business ({@code () -> NativePlugin.load(path, config)}); each instance's dispatcher settings
 * (capacity, wait mode, lanes, default timeout, completion executor) are set with {@link #instances}, the same
 * settings as a single {@link PluginDispatcher}'s. Not thread-safe.
 */
public final class PoolBuilder
{
    final PluginSource source;
    int size = 2;
    UnaryOperator<DispatcherBuilder> instances = UnaryOperator.identity();
    Routing routing = Routing.LEAST_PENDING_OF_TWO;
    RestartPolicy restartPolicy = RestartPolicy.defaults();
    Consumer<RestartEvent> onRestart = event -> {};
    String name = "pool";

    PoolBuilder(final PluginSource source)
    {
        this.source = Objects.requireNonNull(source, "plugin source must not be null");
    }

    /**
     * Returns this builder.
     *
     * @param size how many instances, each with its own owner thread (default 2); 1 to 1024.
     * @return this builder.
     */
    public PoolBuilder size(final int size)
    {
        if (size < 1 || size > 1024)
        {
            throw new IllegalArgumentException("pool size must be between 1 and 1024, was " + size);
        }
        this.size = size;
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param settings applied to each instance's {@link DispatcherBuilder}, for example
     *                 {@code b -> b.capacity(256).waitMode(WaitMode.PARKING)}. The pool itself sets the thread name,
     *                 {@code closePlugin(true)} and {@code onPluginFailed}, after these settings.
     * @return this builder.
     */
    public PoolBuilder instances(final UnaryOperator<DispatcherBuilder> settings)
    {
        this.instances = Objects.requireNonNull(settings, "instance settings must not be null");
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param routing how calls without a key pick their instance (default {@link Routing#LEAST_PENDING_OF_TWO}).
     * @return this builder.
     */
    public PoolBuilder routing(final Routing routing)
    {
        this.routing = Objects.requireNonNull(routing, "routing must not be null");
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param policy how instances that panic are replaced (default {@link RestartPolicy#defaults()}).
     * @return this builder.
     */
    public PoolBuilder restartPolicy(final RestartPolicy policy)
    {
        this.restartPolicy = Objects.requireNonNull(policy, "restart policy must not be null");
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param listener told of every restart, failed restart and dead slot, on the pool's supervisor thread; for
     *                 logging and alerting. It should return quickly: restarts wait for it.
     * @return this builder.
     */
    public PoolBuilder onRestart(final Consumer<RestartEvent> listener)
    {
        this.onRestart = Objects.requireNonNull(listener, "restart listener must not be null");
        return this;
    }

    /**
     * Returns this builder.
     *
     * @param name the pool's name, in its threads' names ({@code ringbridge-<name>-<slot>}) and messages (default "pool").
     * @return this builder.
     */
    public PoolBuilder name(final String name)
    {
        this.name = Objects.requireNonNull(name, "name must not be null");
        return this;
    }

    /**
     * Loads every instance and starts its owner thread.
     *
     * @return the running pool.
     * @throws PluginLoadException when an instance does not load or start; those already started are closed.
     */
    public PluginPool build() throws PluginLoadException
    {
        return new PluginPool(this);
    }
}
