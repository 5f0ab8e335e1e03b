package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.NativePlugin;

import java.util.Optional;

/**
 * The contenders that call the plugin on the producer thread itself, each producer through its own
 * session opened once, so the calls take exactly the native path of the other contenders.
 *
 * <p>{@link ContenderKind#DIRECT}: one thread, no hand-off and no lock: the limit. Only meaningful with a
 * single producer, since the plugin must not be called concurrently.
 * <p>{@link ContenderKind#LOCK}: every producer calls under one shared {@code synchronized} lock: what
 * most code does first. ({@code NativePlugin.call} would open a session, an arena and native scratch per
 * call and make the lock look slower than it is.)
 */
final class InPlaceCall implements Contender
{
    private final ContenderKind kind;
    private final NativePlugin plugin;
    /** The shared lock, or null for the direct call. */
    private final Object lock;

    InPlaceCall(final ContenderKind kind, final NativePlugin plugin, final Object lock)
    {
        this.kind = kind;
        this.plugin = plugin;
        this.lock = lock;
    }

    @Override
    public ContenderKind kind()
    {
        return kind;
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
