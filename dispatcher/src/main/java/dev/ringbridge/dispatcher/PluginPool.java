package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.PluginLoadException;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Several instances of one plugin behind one {@link Dispatcher}: each instance has its own {@link PluginDispatcher}
 * (ring, owner thread, backpressure) and its own mapped copy of the library, so instances share nothing but the
 * callers.
 *
 * <p><b>Routing.</b> A call with a key ({@link CallOptions#withKey(long)} and its siblings) goes to slot
 * {@code hash(key) mod size}, always the same one, so calls with one key submitted from one thread run in order (as
 * BookKeeper's {@code OrderedExecutor} does). A replacement instance takes its slot, so the mapping survives
 * restarts; only a dead slot's keys move, to the next live slot. A call without a key goes to the
 * {@link Routing#LEAST_PENDING_OF_TWO less loaded of two random instances} (or {@link Routing#ROUND_ROBIN}), skipping
 * instances being replaced. Backpressure is per instance: a call waits only when the instance it goes to is full, and
 * {@code trySubmit} without a key tries every running instance before it gives up; it never waits.
 *
 * <p><b>Supervision.</b> An instance whose plugin panics (FAILED) is replaced automatically by a fresh one from the
 * {@link PluginSource}, under a {@link RestartPolicy} (at most R restarts in a window, exponential backoff; beyond it
 * the slot is {@link SlotState#DEAD}, routed around, and {@link #health()} says so). Calls queued on the failed
 * instance complete at once with a {@link PluginException} naming the panic; those marked
 * {@link CallOptions#withIdempotent() idempotent} run once more on the replacement instead. The call that panicked
 * is never retried. {@link PoolBuilder#onRestart} observes restarts.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops restarts, then drains and closes every instance; {@link #shutdownNow()}
 * fails what has not started. Every future handed out completes. Both idempotent, from any thread.
 *
 * <p>All methods are thread-safe. Routing touches no shared state but the instances' own counters: no lock, no
 * shared counter per call.
 */
public final class PluginPool implements Dispatcher
{
    private final PoolSlot[] slots;
    private final Routing routing;
    private final Supervisor supervisor;
    private final String name;
    /** Each thread's next turn for {@link Routing#ROUND_ROBIN}: no counter shared between threads. */
    private final ThreadLocal<int[]> turns;
    /** Set once by close or shutdownNow (volatile store); read by every call before routing. */
    private volatile boolean shutdown;

    PluginPool(final PoolBuilder builder) throws PluginLoadException
    {
        this.routing = builder.routing;
        this.name = builder.name;
        this.slots = new PoolSlot[builder.size];
        this.supervisor = new Supervisor(builder, slots);
        final int size = slots.length;
        this.turns = ThreadLocal.withInitial(() -> new int[] {ThreadLocalRandom.current().nextInt(size)});
        try
        {
            for (int i = 0; i < size; i++)
            {
                slots[i] = new PoolSlot(i);
                slots[i].current = supervisor.start(slots[i]);
            }
        }
        catch (final PluginLoadException | RuntimeException | Error e)
        {
            supervisor.shutdown(true);
            for (final PoolSlot slot : slots)
            {
                if (slot != null && slot.current != null)
                {
                    slot.current.close();
                }
            }
            throw e;
        }
    }

    /**
     * Starts building a pool of instances from {@code source}.
     *
     * @param source loads one fresh instance per call, for the start and for every restart.
     * @return a builder.
     */
    public static PoolBuilder builder(final PluginSource source)
    {
        return new PoolBuilder(source);
    }

    // ---- calls -----------------------------------------------------------------------------------

    @Override
    public <Q, R> CallFuture<R> submit(final CallType<Q, R> type, final Q request) throws InterruptedException
    {
        return onSlot(keyless(), instance -> instance.submit(type, request));
    }

    @Override
    public <Q, R> CallFuture<R> submit(final CallType<Q, R> type, final Q request, final CallOptions options)
        throws InterruptedException
    {
        if (options.idempotent())
        {
            return submitRetryable(type, request, options, true).orElseThrow();
        }
        return onSlot(slotFor(options), instance -> instance.submit(type, request, options));
    }

    @Override
    public <Q, R> CallFuture<R> submit(final CallType<Q, R> type, final Q request, final Duration timeout)
        throws InterruptedException, TimeoutException
    {
        return onSlot(keyless(), instance -> instance.submit(type, request, timeout));
    }

    @Override
    public <Q, R> Optional<CallFuture<R>> trySubmit(final CallType<Q, R> type, final Q request)
    {
        return tryEach(keyless(), instance -> instance.trySubmit(type, request));
    }

    @Override
    public <Q, R> Optional<CallFuture<R>> trySubmit(final CallType<Q, R> type, final Q request, final CallOptions options)
    {
        if (options.idempotent())
        {
            try
            {
                return submitRetryable(type, request, options, false);
            }
            catch (final InterruptedException cannotHappen)
            {
                throw new AssertionError("a submit without waiting does not wait", cannotHappen);
            }
        }
        if (options.hasKey())
        {
            return onSlot(keyed(options.keyHash()), instance -> instance.trySubmit(type, request, options));
        }
        return tryEach(keyless(), instance -> instance.trySubmit(type, request, options));
    }

    @Override
    public <Q, R> Optional<CallFuture<R>> trySubmit(final CallType<Q, R> type, final Q request, final Duration timeout)
        throws InterruptedException
    {
        return onSlot(keyless(), instance -> instance.trySubmit(type, request, timeout));
    }

    @Override
    public <Q, R> List<CallFuture<R>> submitAll(final CallType<Q, R> type, final List<? extends Q> requests)
        throws InterruptedException
    {
        return onSlot(keyless(), instance -> instance.submitAll(type, requests));
    }

    @Override
    public <Q, R> R call(final CallType<Q, R> type, final Q request) throws PluginException, InterruptedException
    {
        return onSlot(keyless(), instance -> instance.call(type, request));
    }

    @Override
    public <Q, R> R call(final CallType<Q, R> type, final Q request, final Duration timeout)
        throws PluginException, InterruptedException, TimeoutException
    {
        return onSlot(keyless(), instance -> instance.call(type, request, timeout));
    }

    @Override
    public <Q, R> R call(final CallType<Q, R> type, final Q request, final CallOptions options)
        throws PluginException, InterruptedException, TimeoutException
    {
        if (options.idempotent())
        {
            return await(submitRetryable(type, request, options, true).orElseThrow(), options);
        }
        return onSlot(slotFor(options), instance -> instance.call(type, request, options));
    }

    @Override
    public long callRaw(final int messageId, final MemorySegment request, final MemorySegment response)
        throws PluginException, InterruptedException
    {
        return onSlot(keyless(), instance -> instance.callRaw(messageId, request, response));
    }

    // ---- state -----------------------------------------------------------------------------------

    /**
     * Returns how many slots the pool has, dead ones included.
     *
     * @return how many slots the pool has.
     */
    public int size()
    {
        return slots.length;
    }

    /**
     * Returns the dispatcher serving {@code slot} now; a restart replaces it.
     *
     * @param slot the slot's index.
     * @return the dispatcher serving the slot now.
     */
    public PluginDispatcher instance(final int slot)
    {
        return slots[slot].current;
    }

    /**
     * Returns every slot's state, restarts, failures and pending calls.
     *
     * @return every slot's state, restarts, failures and pending calls.
     */
    public PoolHealth health()
    {
        final List<SlotHealth> health = new ArrayList<>(slots.length);
        for (final PoolSlot slot : slots)
        {
            health.add(slot.health());
        }
        return new PoolHealth(health);
    }

    /**
     * Returns what {@code slot}'s instances recorded since the pool started, replaced instances included.
     *
     * @param slot the slot's index.
     * @return the slot's latency histograms and counters.
     */
    public MetricsSnapshot slotMetrics(final int slot)
    {
        return slots[slot].totalMetrics();
    }

    /**
     * Returns the latency histograms and counters of every slot since the pool started, merged.
     *
     * @return the merged latency histograms and counters.
     */
    @Override
    public MetricsSnapshot totalMetrics()
    {
        MetricsSnapshot total = slots[0].totalMetrics();
        for (int i = 1; i < slots.length; i++)
        {
            total = MetricsSnapshot.combine(total, slots[i].totalMetrics());
        }
        return total;
    }

    /**
     * Returns the capacity of every slot that is not dead, added up.
     *
     * @return the capacity of every slot that is not dead, added up.
     */
    @Override
    public int capacity()
    {
        return capacity(Lane.NORMAL) + capacity(Lane.HIGH);
    }

    @Override
    public long pendingCount()
    {
        long pending = 0;
        for (final PoolSlot slot : slots)
        {
            pending += slot.current.pendingCount();
        }
        return pending;
    }

    /**
     * Returns one lane's capacity in every slot that is not dead, added up.
     *
     * @param lane the lane.
     * @return one lane's capacity in every slot that is not dead, added up.
     */
    @Override
    public int capacity(final Lane lane)
    {
        int capacity = 0;
        for (final PoolSlot slot : slots)
        {
            capacity += slot.state == SlotState.DEAD ? 0 : slot.current.capacity(lane);
        }
        return capacity;
    }

    @Override
    public long pendingCount(final Lane lane)
    {
        long pending = 0;
        for (final PoolSlot slot : slots)
        {
            pending += slot.current.pendingCount(lane);
        }
        return pending;
    }

    @Override
    public boolean isShutdown()
    {
        return shutdown;
    }

    @Override
    public boolean isTerminated()
    {
        if (!supervisor.isTerminated())
        {
            return false;
        }
        for (final PoolSlot slot : slots)
        {
            if (!slot.current.isTerminated())
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean awaitTermination(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (final PoolSlot slot : slots)
        {
            if (!slot.current.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))
            {
                return false;
            }
        }
        return supervisor.awaitTermination(Math.max(0, deadline - System.nanoTime())) && isTerminated();
    }

    // ---- shutdown --------------------------------------------------------------------------------

    /**
     * Stops intake and restarts, runs every call already accepted, closes every instance and waits for all of it
     * (except on an owner thread, which cannot wait for itself). Idempotent.
     */
    @Override
    public void close()
    {
        shutdown(false);
    }

    /**
     * Stops intake and restarts, fails every accepted call that has not started with a
     * {@link RejectedExecutionException}, lets the running calls finish, closes every instance and waits (except on an
     * owner thread). Idempotent; may follow {@link #close()} to escalate.
     */
    @Override
    public void shutdownNow()
    {
        shutdown(true);
    }

    private void shutdown(final boolean now)
    {
        shutdown = true;
        supervisor.shutdown(!onOwnerThread());
        // No restart runs any more: every slot's instance is final.
        for (final PoolSlot slot : slots)
        {
            if (now)
            {
                slot.current.shutdownNow();
            }
            else
            {
                slot.current.close();
            }
        }
    }

    @Override
    public String toString()
    {
        return "PluginPool[" + name + ", " + slots.length + " instances, " + routing + (shutdown ? ", shut down" : "") + "]";
    }

    // ---- routing ---------------------------------------------------------------------------------

    private PoolSlot slotFor(final CallOptions options)
    {
        return options.hasKey() ? keyed(options.keyHash()) : keyless();
    }

    /** The key's slot; a dead slot's keys go to the next slot that is not dead. */
    private PoolSlot keyed(final long keyHash)
    {
        checkOpen();
        final int size = slots.length;
        final int home = (int)Long.remainderUnsigned(keyHash, size);
        for (int i = 0; i < size; i++)
        {
            final PoolSlot slot = slots[(home + i) % size];
            if (slot.state != SlotState.DEAD)
            {
                return slot;
            }
        }
        throw allDead();
    }

    private PoolSlot keyless()
    {
        checkOpen();
        final int size = slots.length;
        if (size > 1)
        {
            final PoolSlot chosen = routing == Routing.ROUND_ROBIN ? nextInTurn(size) : lessPendingOfTwo(size);
            if (chosen != null)
            {
                return chosen;
            }
        }
        // One slot, or none running: a slot being replaced answers at once (or retries idempotent calls).
        for (final PoolSlot slot : slots)
        {
            if (slot.state != SlotState.DEAD)
            {
                return slot;
            }
        }
        throw allDead();
    }

    private PoolSlot lessPendingOfTwo(final int size)
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final int first = random.nextInt(size);
        int second = random.nextInt(size - 1);
        if (second >= first)
        {
            second++;
        }
        final PoolSlot a = slots[first];
        final PoolSlot b = slots[second];
        final boolean aRuns = a.state == SlotState.RUNNING;
        final boolean bRuns = b.state == SlotState.RUNNING;
        if (aRuns && bRuns)
        {
            return a.current.pendingCount() <= b.current.pendingCount() ? a : b;
        }
        if (aRuns || bRuns)
        {
            return aRuns ? a : b;
        }
        return firstRunningFrom(first);
    }

    private PoolSlot nextInTurn(final int size)
    {
        final int[] turn = turns.get();
        final int start = turn[0];
        turn[0] = start + 1 == size ? 0 : start + 1;
        final PoolSlot slot = slots[start];
        return slot.state == SlotState.RUNNING ? slot : firstRunningFrom(start);
    }

    private PoolSlot firstRunningFrom(final int start)
    {
        for (int i = 1; i < slots.length; i++)
        {
            final PoolSlot slot = slots[(start + i) % slots.length];
            if (slot.state == SlotState.RUNNING)
            {
                return slot;
            }
        }
        return null;
    }

    private void checkOpen()
    {
        if (shutdown)
        {
            throw new RejectedExecutionException("plugin pool " + name + " is shut down");
        }
    }

    private RejectedExecutionException allDead()
    {
        return new RejectedExecutionException("every slot of plugin pool " + name + " is dead: their instances kept panicking"
            + " beyond the restart policy; see health()");
    }

    // ---- delegation ------------------------------------------------------------------------------

    /** One attempt of a call on one instance. */
    @FunctionalInterface
    private interface OnInstance<T>
    {
        T on(PluginDispatcher instance) throws Exception;
    }

    /**
     * Runs the call on the slot's instance. A replacement may have been swapped in and the old instance closed between
     * reading the slot and submitting: that {@link RejectedExecutionException} means "try the replacement", not "shut
     * down". The checked exceptions of {@code action} are those of the public method that calls this, rethrown as is.
     */
    private <T> T onSlot(final PoolSlot slot, final OnInstance<T> action)
    {
        PluginDispatcher instance = slot.current;
        while (true)
        {
            try
            {
                return action.on(instance);
            }
            catch (final RejectedExecutionException e)
            {
                final PluginDispatcher now = slot.current;
                if (now == instance || shutdown)
                {
                    throw e;
                }
                instance = now;
            }
            catch (final Exception e)
            {
                throw PluginPool.<RuntimeException>rethrowUnchecked(e);
            }
        }
    }

    /** {@code trySubmit} without a key: the routed slot first, then every other running one; never waits. */
    private <R> Optional<CallFuture<R>> tryEach(final PoolSlot first, final OnInstance<Optional<CallFuture<R>>> attempt)
    {
        final Optional<CallFuture<R>> there = onSlot(first, attempt);
        if (there.isPresent())
        {
            return there;
        }
        for (int i = 1; i < slots.length; i++)
        {
            final PoolSlot slot = slots[(first.index + i) % slots.length];
            if (slot.state == SlotState.RUNNING)
            {
                // Encodes the request again: only when an instance is full, which is rare and costs the caller alone.
                final Optional<CallFuture<R>> elsewhere = onSlot(slot, attempt);
                if (elsewhere.isPresent())
                {
                    return elsewhere;
                }
            }
        }
        return Optional.empty();
    }

    private <Q, R> Optional<CallFuture<R>> submitRetryable(final CallType<Q, R> type, final Q request, final CallOptions options,
        final boolean wait) throws InterruptedException
    {
        final byte[] encoded = Objects.requireNonNull(type, "call type must not be null").encode(request);
        final PoolSlot slot = slotFor(options);
        return onSlot(slot, instance ->
        {
            final CallFuture<R> future = new CallFuture<>(instance.context(), type);
            final RetryOnce call = new RetryOnce(supervisor, slot, type, encoded, options, future);
            return call.offerTo(instance, wait) ? Optional.of(future) : Optional.empty();
        });
    }

    /** The result of an idempotent blocking call, with the exceptions {@code call} declares. */
    private static <R> R await(final CallFuture<R> future, final CallOptions options)
        throws PluginException, InterruptedException, TimeoutException
    {
        final long budget = options.budgetNanos(null);
        try
        {
            if (budget == CallOptions.NO_BUDGET)
            {
                return future.get();
            }
            try
            {
                return future.get(Math.max(1, budget), TimeUnit.NANOSECONDS);
            }
            catch (final TimeoutException e)
            {
                future.cancel(false);
                throw e;
            }
        }
        catch (final InterruptedException e)
        {
            future.cancel(false);
            throw e;
        }
        catch (final ExecutionException e)
        {
            final Throwable cause = e.getCause();
            if (cause instanceof PluginException plugin)
            {
                throw plugin;
            }
            if (cause instanceof TimeoutException timeout)
            {
                throw timeout;
            }
            if (cause instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            if (cause instanceof Error error)
            {
                throw error;
            }
            throw new CompletionException(cause);
        }
        catch (final CancellationException e)
        {
            throw e;
        }
    }

    private boolean onOwnerThread()
    {
        final Thread me = Thread.currentThread();
        for (final PoolSlot slot : slots)
        {
            if (slot != null && slot.runsOn(me))
            {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException rethrowUnchecked(final Throwable t) throws E
    {
        throw (E)t;
    }
}
