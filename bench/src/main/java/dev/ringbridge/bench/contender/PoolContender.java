package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.dispatcher.PluginPool;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginLoadException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * ringbridge's pool: {@code size} instances of the plugin, each in its own copy of the library with its own
 * dispatcher in the default wait mode, behind one {@link PluginPool} with its default routing. Labelled
 * {@code pool-<size>}. Unlike the other contenders it does not call the shared plugin: it loads its own instances
 * and closes them with itself.
 */
public final class PoolContender implements Contender
{
    private final int size;
    private final PluginPool pool;

    /**
     * Loads the instances and starts their owner threads.
     *
     * @param library  the plugin library to load the instances from.
     * @param size     how many instances.
     * @param capacity each instance's ring capacity.
     * @throws PluginLoadException when an instance does not load.
     */
    public PoolContender(final Path library, final int size, final int capacity) throws PluginLoadException
    {
        this.size = size;
        this.pool = PluginPool.builder(() -> NativePlugin.load(library))
            .size(size)
            .name("bench-" + size)
            .instances(b -> b.capacity(capacity).waitMode(ContenderKind.RING_BACKOFF.waitMode()))
            .build();
    }

    @Override
    public ContenderKind kind()
    {
        return ContenderKind.RING_BACKOFF;
    }

    @Override
    public String label()
    {
        return "pool-" + size;
    }

    @Override
    public Caller open(final Workload workload)
    {
        return new DispatcherCaller(pool, workload);
    }

    @Override
    public Optional<Thread> worker()
    {
        // Several owner threads: none stands for the pool.
        return Optional.empty();
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
