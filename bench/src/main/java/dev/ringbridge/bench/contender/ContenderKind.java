package dev.ringbridge.bench.contender;

import dev.ringbridge.dispatcher.WaitMode;
import dev.ringbridge.ffi.NativePlugin;

import java.util.Arrays;
import java.util.List;

/**
 * The contenders of the benchmark, in the order the report shows them, and the measurement floor.
 */
public enum ContenderKind
{
    /**
     * No call at all: the constant-rate pacer alone. Its latency is the floor this machine and the
     * measurement itself put under every other contender (scheduling hiccups, the pacer's own work).
     */
    NO_CALL("no call (floor)", "#aaaaaa", true),
    /**
     * No call, while another thread spins on the other core: the floor of any design that keeps two
     * threads busy (a producer and a worker), on a machine where the two cores are not always there.
     */
    NO_CALL_BUSY("no call, 2nd core busy", "#e377c2", true),
    /** One thread with its own session calls the plugin directly: no hand-off, the limit. */
    DIRECT("direct", "#555555", true),
    /** Every producer calls the plugin itself, one at a time under a shared lock. */
    LOCK("lock", "#8c6d31", true),
    /** The seeds' {@code SynchronizedPlugin}: ArrayBlockingQueue, one worker thread, CompletableFuture. */
    BASELINE("baseline", "#d62728", false),
    /**
     * What most Java code does: a one-thread {@code ThreadPoolExecutor} over a bounded
     * {@code ArrayBlockingQueue}, {@code CompletableFuture.supplyAsync} per call; producers wait for room in
     * {@code put}.
     */
    EXECUTOR("executor", "#843c39", false),
    /** JCTools {@code MpscArrayQueue}, one worker that spins, yields, then parks; producers back off on a full queue. */
    JCTOOLS("jctools", "#393b79", false),
    /**
     * Agrona {@code ManyToOneConcurrentArrayQueue} drained by an {@code AgentRunner} with {@code BackoffIdleStrategy};
     * producers back off on a full queue.
     */
    AGRONA("agrona", "#637939", false),
    /** ringbridge, owner thread spins, yields, then sleeps on a lock (the default). */
    RING_BACKOFF("ring-backoff", "#ff7f0e", false),
    /** ringbridge, owner thread on a lock and condition as soon as the ring is empty. */
    RING_BLOCKING("ring-blocking", "#1f77b4", false),
    /** ringbridge, owner thread spins, yields, then naps. */
    RING_SLEEPING("ring-sleeping", "#17becf", false),
    /** ringbridge, owner thread spins and yields. */
    RING_YIELDING("ring-yielding", "#2ca02c", false),
    /** ringbridge, owner thread busy-spins. */
    RING_BUSY_SPIN("ring-busy-spin", "#9467bd", false);

    private final String label;
    private final String color;
    private final boolean synchronous;

    ContenderKind(final String label, final String color, final boolean synchronous)
    {
        this.label = label;
        this.color = color;
        this.synchronous = synchronous;
    }

    /**
     * @return the name used in tables, file names and plots.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return the contender's colour in the report's plots.
     */
    public String color()
    {
        return color;
    }

    /**
     * @return true when calls run on the producer thread itself (no future, no queue).
     */
    public boolean synchronous()
    {
        return synchronous;
    }

    /**
     * @return every contender that calls the plugin: all but the floors.
     */
    public static List<ContenderKind> contenders()
    {
        return Arrays.stream(values()).filter(kind -> !kind.floor()).toList();
    }

    /**
     * @return true for the measurement floors, which make no call.
     */
    public boolean floor()
    {
        return this == NO_CALL || this == NO_CALL_BUSY;
    }

    /**
     * @return true for the peers: one worker thread behind a queue library's bounded queue.
     */
    public boolean peer()
    {
        return this == EXECUTOR || this == JCTOOLS || this == AGRONA;
    }

    /**
     * @return true for the ringbridge dispatcher in any wait mode.
     */
    public boolean ringbridge()
    {
        return waitMode() != null;
    }

    /**
     * @return the most producer threads this contender takes: one for the direct call and the floors, unbounded otherwise.
     */
    public int maxProducers()
    {
        return this == DIRECT || floor() ? 1 : Integer.MAX_VALUE;
    }

    /**
     * @return the dispatcher's wait mode, or null when this is not ringbridge.
     */
    public WaitMode waitMode()
    {
        return switch (this)
        {
            case RING_BACKOFF -> WaitMode.BACKOFF;
            case RING_BLOCKING -> WaitMode.BLOCKING;
            case RING_SLEEPING -> WaitMode.SLEEPING;
            case RING_YIELDING -> WaitMode.YIELDING;
            case RING_BUSY_SPIN -> WaitMode.BUSY_SPIN;
            case NO_CALL, NO_CALL_BUSY, DIRECT, LOCK, BASELINE, EXECUTOR, JCTOOLS, AGRONA -> null;
        };
    }

    /**
     * Starts this contender on a plugin it shares with the others (it never closes the plugin).
     *
     * @param plugin   the loaded plugin.
     * @param capacity the bound on accepted, unfinished calls (the queue's or the ring's size).
     * @return the running contender.
     */
    public Contender start(final NativePlugin plugin, final int capacity)
    {
        return switch (this)
        {
            case NO_CALL -> new NoCall(false);
            case NO_CALL_BUSY -> new NoCall(true);
            case DIRECT -> new InPlaceCall(this, plugin, null);
            case LOCK -> new InPlaceCall(this, plugin, new Object());
            case BASELINE -> new SynchronizedPluginBaseline(plugin, capacity);
            case EXECUTOR -> new PeerContender(this, new ExecutorLane(plugin, capacity));
            case JCTOOLS -> new PeerContender(this, new JctoolsLane(plugin, capacity));
            case AGRONA -> new PeerContender(this, new AgronaLane(plugin, capacity));
            case RING_BACKOFF, RING_BLOCKING, RING_SLEEPING, RING_YIELDING, RING_BUSY_SPIN ->
                new RingbridgeContender(this, plugin, capacity, true);
        };
    }
}
