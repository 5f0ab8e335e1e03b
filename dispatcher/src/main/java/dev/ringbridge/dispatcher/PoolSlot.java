package dev.ringbridge.dispatcher;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One place of a {@link PluginPool}: the instance serving it now, and its supervision record. A replacement takes the
 * same slot, so the keys that map to the slot keep mapping to it.
 *
 * <p>Callers read {@link #current} and {@link #state} (volatile) to route; the supervisor thread writes them, and
 * alone touches the restart record and the calls awaiting a replacement.
 */
final class PoolSlot
{
    final int index;
    /** The instance serving this slot; after a panic, the failed one until its replacement is in. */
    volatile PluginDispatcher current;
    volatile SlotState state = SlotState.RUNNING;
    /** Written by the supervisor thread only. */
    volatile long restarts;
    /** Panics: counted on the owner threads of the slot's successive instances. */
    final AtomicLong failures = new AtomicLong();

    /** Supervisor thread only: when the restarts within the policy's window happened (nanoTime). */
    final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    /** Supervisor thread only: idempotent calls waiting for this slot's replacement. */
    final List<RetryOnce> awaitingReplacement = new ArrayList<>();
    /** Supervisor thread only: when the instance being replaced failed (nanoTime). */
    long failedAtNanos;

    /** The metrics of this slot's replaced instances, folded together; guarded by this slot's monitor. */
    private MetricsSnapshot retired;
    /** Replaced instances still draining: their live figures count until they are folded in. Guarded likewise. */
    private final List<PluginDispatcher> retiring = new ArrayList<>();

    /** A slot without its instance yet: the pool starts it and sets {@link #current} before the pool is published. */
    PoolSlot(final int index)
    {
        this.index = index;
    }

    /** Supervisor thread: swaps the replacement in; the replaced instance's figures keep counting while it drains. */
    synchronized void replace(final PluginDispatcher replacement)
    {
        retiring.add(current);
        current = replacement;
    }

    /** Supervisor thread, once a replaced instance has terminated: keeps its figures in the slot's totals. */
    synchronized void retire(final PluginDispatcher replaced)
    {
        retiring.remove(replaced);
        final MetricsSnapshot last = withoutCapacity(replaced.totalMetrics());
        retired = retired == null ? last : MetricsSnapshot.combine(retired, last);
    }

    /** Everything this slot's instances recorded, the current one's figures up to now included. */
    synchronized MetricsSnapshot totalMetrics()
    {
        MetricsSnapshot total = current.totalMetrics();
        for (final PluginDispatcher draining : retiring)
        {
            total = MetricsSnapshot.combine(total, withoutCapacity(draining.totalMetrics()));
        }
        return retired == null ? total : MetricsSnapshot.combine(retired, total);
    }

    /** A replaced instance's capacity is no longer the slot's: only its history and its draining calls count. */
    private static MetricsSnapshot withoutCapacity(final MetricsSnapshot t)
    {
        return new MetricsSnapshot(t.startMillis(), t.endMillis(), t.queueWait(), t.serviceTime(), t.endToEnd(), t.submitted(),
            t.succeeded(), t.failed(), t.shed(), t.cancelled(), t.rejected(), t.pending(), 0, t.failedByKind(), t.byType());
    }

    /**
     * Whether {@code thread} is the owner thread of this slot's instance or of a replaced one still draining: the
     * supervisor may be waiting for that thread (closing the replaced instance), so it must not wait for the supervisor.
     */
    synchronized boolean runsOn(final Thread thread)
    {
        if (current != null && current.ownerThread() == thread)
        {
            return true;
        }
        for (final PluginDispatcher draining : retiring)
        {
            if (draining.ownerThread() == thread)
            {
                return true;
            }
        }
        return false;
    }

    SlotHealth health()
    {
        final PluginDispatcher instance = current;
        return new SlotHealth(index, state, restarts, failures.get(), instance.pendingCount(), instance.capacity());
    }
}
