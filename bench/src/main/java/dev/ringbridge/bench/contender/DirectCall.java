package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.NativePlugin;

import java.util.Optional;

/**
 * The limit: one thread calls the plugin through its own session, with no hand-off and no lock.
 * Only meaningful with a single producer, since the plugin must not be called concurrently.
 */
final class DirectCall implements Contender
{
    private final NativePlugin plugin;

    DirectCall(final NativePlugin plugin)
    {
        this.plugin = plugin;
    }

    @Override
    public ContenderKind kind()
    {
        return ContenderKind.DIRECT;
    }

    @Override
    public Caller open(final Workload workload)
    {
        return new SessionCaller(plugin, workload, null);
    }

    @Override
    public Optional<Thread> worker()
    {
        return Optional.empty();
    }

    @Override
    public void close()
    {
        // Nothing shared to stop: each caller closes its own session.
    }
}
