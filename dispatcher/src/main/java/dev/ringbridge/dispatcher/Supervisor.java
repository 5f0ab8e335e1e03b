package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginLoadException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Starts the instances of a {@link PluginPool} and replaces those that panic, on a thread of its own. Off every call
 * path: the owner thread of a failed instance only hands it the news.
 *
 * <p>A restart: the slot is marked {@link SlotState#RESTARTING} at once (calls without a key go elsewhere), a fresh
 * instance is started after the policy's backoff, swapped into the slot, and only then is the failed instance closed;
 * until the swap, calls routed to the slot reach the failed instance and fail at once with its panic named (or wait
 * for the replacement, if idempotent). Beyond the policy's budget the slot is {@link SlotState#DEAD}.
 */
final class Supervisor
{
    private static final System.Logger LOGGER = System.getLogger(Supervisor.class.getName());

    private final PluginSource source;
    private final UnaryOperator<DispatcherBuilder> instances;
    private final RestartPolicy policy;
    private final Consumer<RestartEvent> listener;
    private final String name;
    private final PoolSlot[] slots;
    private final ScheduledThreadPoolExecutor thread;
    /**
     * Idempotent calls handed to the supervisor thread and not yet placed: a shutdown drops the task that would place
     * them, so the thread's end fails what is left here (and a task that still runs finds its call gone).
     */
    private final Set<RetryOnce> handedOver = ConcurrentHashMap.newKeySet();
    /** Guards the swap of a replacement against the pool's shutdown; never taken on a call path. */
    private final Object swapLock = new Object();
    /** Written under {@link #swapLock}; read by the supervisor thread under it. */
    private boolean shutdown;
    /** The supervisor thread, once started: a listener that closes the pool runs on it and must not wait for it. */
    private volatile Thread supervisorThread;

    /**
     * @param slots the pool's slots, filled by the pool before its first restart can run; the supervisor fails the
     *              calls still awaiting a replacement in them when its thread ends.
     */
    Supervisor(final PoolBuilder builder, final PoolSlot[] slots)
    {
        this.source = builder.source;
        this.instances = builder.instances;
        this.policy = builder.restartPolicy;
        this.listener = builder.onRestart;
        this.name = builder.name;
        this.slots = slots;
        this.thread = new ScheduledThreadPoolExecutor(1, task ->
        {
            final Thread supervisor = new Thread(task, "ringbridge-" + name + "-supervisor");
            supervisor.setDaemon(true);
            supervisorThread = supervisor;
            return supervisor;
        })
        {
            /** After shutdown, once no restart runs any more (on whichever thread ends it): no call is left waiting. */
            @Override
            protected void terminated()
            {
                failAwaiting();
            }
        };
    }

    /** Starts an instance for {@code slot}; the caller owns it until it is in the slot. */
    PluginDispatcher start(final PoolSlot slot) throws PluginLoadException
    {
        final NativePlugin plugin = source.load();
        try
        {
            final DispatcherBuilder builder = instances.apply(PluginDispatcher.builder(plugin));
            return builder.threadName("ringbridge-" + name + "-" + slot.index)
                .closePlugin(true)
                .onPluginFailed(() -> instanceFailed(slot))
                .build();
        }
        catch (final RuntimeException | Error e)
        {
            plugin.close();
            throw e;
        }
    }

    /** The failed instance's owner thread, right after the panicking call: must not block. */
    private void instanceFailed(final PoolSlot slot)
    {
        slot.failures.incrementAndGet();
        slot.state = SlotState.RESTARTING;
        final PluginDispatcher failed = slot.current;
        final long failedAt = System.nanoTime();
        execute(() ->
        {
            slot.failedAtNanos = failedAt;
            scheduleRestart(slot, failed, "plugin " + failed.plugin().name() + " in slot " + slot.index + " panicked");
        });
    }

    /** Supervisor thread: the next attempt for the slot, or its death when the budget is spent. */
    private void scheduleRestart(final PoolSlot slot, final PluginDispatcher failed, final String cause)
    {
        final long now = System.nanoTime();
        final long windowNanos = policy.window().toNanos();
        while (!slot.restartTimes.isEmpty() && now - slot.restartTimes.peekFirst() > windowNanos)
        {
            slot.restartTimes.pollFirst();
        }
        if (slot.restartTimes.size() >= policy.maxRestarts())
        {
            markDead(slot, failed, cause);
            return;
        }
        final long delay = policy.backoffNanos(slot.restartTimes.size());
        slot.restartTimes.addLast(now + delay);
        try
        {
            thread.schedule(() -> restart(slot, failed, cause), delay, TimeUnit.NANOSECONDS);
        }
        catch (final RejectedExecutionException poolClosed)
        {
            // The pool's close() closes every slot's instance, this failed one included.
        }
    }

    /** Supervisor thread. */
    private void restart(final PoolSlot slot, final PluginDispatcher failed, final String cause)
    {
        final PluginDispatcher replacement;
        try
        {
            replacement = start(slot);
        }
        catch (final Throwable t)
        {
            LOGGER.log(System.Logger.Level.WARNING, "ringbridge pool " + name + ": replacement for slot " + slot.index + " did not start", t);
            notify(slot, RestartEvent.Outcome.START_FAILED, String.valueOf(t.getMessage()));
            scheduleRestart(slot, failed, cause);
            return;
        }
        synchronized (swapLock)
        {
            if (shutdown)
            {
                replacement.close();
                return;
            }
            slot.replace(replacement);
            slot.restarts++;
            slot.state = SlotState.RUNNING;
        }
        notify(slot, RestartEvent.Outcome.RESTARTED, cause);
        for (final RetryOnce waiting : slot.awaitingReplacement)
        {
            resubmit(waiting, replacement);
        }
        slot.awaitingReplacement.clear();
        // Its queued calls fail at once (FAILED); idempotent ones come back through retryOnReplacement.
        failed.close();
        slot.retire(failed);
    }

    private void markDead(final PoolSlot slot, final PluginDispatcher failed, final String cause)
    {
        slot.state = SlotState.DEAD;
        LOGGER.log(System.Logger.Level.ERROR, "ringbridge pool " + name + ": slot " + slot.index + " is dead after "
            + slot.restarts + " restarts (" + policy + "); calls are routed around it. Last failure: " + cause);
        notify(slot, RestartEvent.Outcome.DEAD, cause);
        for (final RetryOnce waiting : slot.awaitingReplacement)
        {
            waiting.caller.fail(new RejectedExecutionException("slot " + slot.index + " of pool " + name + " is dead; " + cause));
        }
        slot.awaitingReplacement.clear();
        // Nothing is swapped in: the failed instance stays the slot's current one (closed), for its figures and health.
        failed.close();
    }

    /** The failed instance's owner thread (from a completion): must not block. */
    void retryOnReplacement(final RetryOnce call, final Throwable failure)
    {
        handedOver.add(call);
        try
        {
            execute(() ->
            {
                if (!handedOver.remove(call))
                {
                    return;
                }
                final PoolSlot slot = call.slot;
                if (slot.state == SlotState.RUNNING)
                {
                    resubmit(call, slot.current);
                }
                else if (slot.state == SlotState.DEAD)
                {
                    call.caller.fail(failure);
                }
                else
                {
                    slot.awaitingReplacement.add(call);
                }
            });
        }
        catch (final RejectedExecutionException poolClosed)
        {
            if (handedOver.remove(call))
            {
                call.caller.fail(failure);
            }
        }
    }

    /** On a virtual thread: the claim may wait for room, which the supervisor must not. */
    private static void resubmit(final RetryOnce call, final PluginDispatcher replacement)
    {
        Thread.ofVirtual().name("ringbridge-retry").start(() ->
        {
            try
            {
                call.offerTo(replacement, true);
            }
            catch (final InterruptedException | RuntimeException e)
            {
                call.caller.fail(e);
            }
        });
    }

    /**
     * Stops restarting: pending restarts are dropped, a running one closes its replacement instead of swapping it in,
     * and when the supervisor thread ends, the calls still awaiting a replacement fail. Waits for that end when
     * {@code wait} (not on an owner thread: a restart may be closing it).
     */
    void shutdown(final boolean wait)
    {
        synchronized (swapLock)
        {
            shutdown = true;
        }
        final List<Runnable> dropped = thread.shutdownNow();
        if (!dropped.isEmpty())
        {
            LOGGER.log(System.Logger.Level.DEBUG, "ringbridge pool " + name + ": " + dropped.size() + " restarts dropped at shutdown");
        }
        if (wait && Thread.currentThread() != supervisorThread)
        {
            awaitQuietly();
        }
    }

    /** The supervisor thread has ended (after shutdown): fails every call still awaiting a replacement. */
    private void failAwaiting()
    {
        for (final PoolSlot slot : slots)
        {
            if (slot == null)
            {
                continue; // the pool did not start: no call ever reached it
            }
            final List<RetryOnce> waiting = new ArrayList<>(slot.awaitingReplacement);
            slot.awaitingReplacement.clear();
            for (final RetryOnce call : waiting)
            {
                failAtShutdown(call);
            }
        }
        for (final RetryOnce call : handedOver)
        {
            if (handedOver.remove(call))
            {
                failAtShutdown(call);
            }
        }
    }

    private void failAtShutdown(final RetryOnce call)
    {
        call.caller.fail(new RejectedExecutionException("pool " + name + " was shut down before slot " + call.slot.index
            + " was replaced"));
    }

    boolean isTerminated()
    {
        return thread.isTerminated();
    }

    boolean awaitTermination(final long nanos) throws InterruptedException
    {
        return thread.awaitTermination(nanos, TimeUnit.NANOSECONDS);
    }

    private void awaitQuietly()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                if (thread.awaitTermination(1, TimeUnit.MINUTES))
                {
                    break;
                }
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(final Runnable task)
    {
        thread.execute(task);
    }

    private void notify(final PoolSlot slot, final RestartEvent.Outcome outcome, final String cause)
    {
        final RestartEvent event = new RestartEvent(slot.index, outcome, slot.restarts, cause,
            Duration.ofNanos(System.nanoTime() - slot.failedAtNanos));
        final FlightEvents.InstanceRestart recorded = new FlightEvents.InstanceRestart();
        if (recorded.shouldCommit())
        {
            recorded.pool = name;
            recorded.slot = event.slot();
            recorded.restarts = event.restarts();
            recorded.outcome = outcome.name();
            recorded.cause = cause;
            recorded.downtime = event.downtime().toNanos();
            recorded.commit();
        }
        try
        {
            listener.accept(event);
        }
        catch (final RuntimeException e)
        {
            LOGGER.log(System.Logger.Level.WARNING, "ringbridge pool " + name + ": restart listener threw on " + event, e);
        }
    }
}
