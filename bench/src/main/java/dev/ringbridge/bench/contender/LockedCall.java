package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.NativePlugin;

import java.util.Optional;

/**
 * Every producer calls the plugin itself, serialised by one shared {@code synchronized} lock: what
 * most code does first. Each producer uses its own session, opened once, so the calls take exactly the
 * native path of the other contenders; {@code NativePlugin.call} would open a session (an arena and
 * native scratch) per call and make the lock look slower than it is.
 */
final class LockedCall implements Contender
{
    private final NativePlugin plugin;
    private final Object lock = new Object();

    LockedCall(final NativePlugin plugin)
    {
        this.plugin = plugin;
    }

    @Override
    public ContenderKind kind()
    {
        return ContenderKind.LOCK;
    }

    @Override
    public Caller open(final Workload workload)
    {
        return new SessionCaller(plugin, workload, lock);
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
