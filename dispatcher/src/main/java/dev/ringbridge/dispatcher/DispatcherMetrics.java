package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.ErrorKind;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Latency histograms and counters of one dispatcher, cumulative since it started, readable by any number of threads
 * at any time. For figures over intervals, each reader takes its own {@link MetricsReader} ({@link Dispatcher#newMetricsReader()}), so a
 * dashboard, a log line and a poller never take each other's data.
 *
 * <p><b>Writer.</b> Only the owner thread records. Per call it stores three latencies, the call's type and its outcome
 * in small arrays of its own and bumps a plain counter; every {@value #FLUSH_EVERY} calls and at the end of each batch
 * it moves what it stored into three histograms a call (queue wait overall, service time and end to end of the call's
 * type: readers add the types up) inside one {@link WriterReaderPhaser} critical section. So a call costs a few plain stores, the histograms are paid once per flush, and a reader never waits for a
 * native call, only for a flush in progress. Counters are single-writer fields advanced with release stores and read
 * with acquire loads. Producers count rejections in a {@link LongAdder}, on the rejection path only; the number
 * submitted is read off the ring's cursor, so submitting costs nothing extra.
 *
 * <p><b>Types.</b> Calls are counted per type (JSON type tag, or {@code binary:<id>}) for the first
 * {@link DispatcherBuilder#typeLimit(int) type limit} types a dispatcher serves; later types are counted together
 * under {@code (other)}. Each counted type costs two histograms in each of the writer's two phases and two in the total.
 *
 * <p><b>Readers.</b> {@link #total()} may be called from any thread; readers serialise among themselves (never with
 * the writer) and fold the writer's histograms into the total with a phase flip.
 */
public final class DispatcherMetrics
{
    /** The outcome of a call that failed on the host side (refused, never started, a bad response buffer). */
    static final int HOST_FAILURE = -1;
    /** The key of host-side failures in {@link MetricsSnapshot#failedByKind()}. */
    public static final String HOST_KIND = "HOST";

    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int FLUSH_EVERY = 64;
    private static final ErrorKind[] KINDS = ErrorKind.values();
    /** Failure counters: one per {@link ErrorKind}, the host's last. */
    private static final int HOST_INDEX = KINDS.length;
    private static final VarHandle SUCCEEDED;
    private static final VarHandle FAILED;
    private static final VarHandle SHED;
    private static final VarHandle CANCELLED;
    private static final VarHandle FAILURES = MethodHandles.arrayElementVarHandle(long[].class);

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SUCCEEDED = lookup.findVarHandle(DispatcherMetrics.class, "succeeded", long.class);
            FAILED = lookup.findVarHandle(DispatcherMetrics.class, "failed", long.class);
            SHED = lookup.findVarHandle(DispatcherMetrics.class, "shed", long.class);
            CANCELLED = lookup.findVarHandle(DispatcherMetrics.class, "cancelled", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean latencyEnabled;
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    /** The writer's figures; swapped by readers inside a phase flip, read by the writer inside its critical section. */
    private volatile Phase active;
    /** Reader side, guarded by this. */
    private Phase inactive;
    private final Phase total;

    // Owner thread only: the calls recorded since the last flush, and the types' slots.
    private final long[] pending = new long[3 * FLUSH_EVERY];
    private final int[] pendingTypes = new int[FLUSH_EVERY];
    private final boolean[] pendingFailed = new boolean[FLUSH_EVERY];
    private int pendingCount;
    /** Slot of each {@link TypeIds type number} plus one; 0 until the type's first flush. */
    private final int[] slotOfType = new int[TypeIds.LIMIT];
    private final int typeLimit;
    private int typesSeen;

    /** Single writer (owner thread, release stores); any reader (acquire loads). */
    @SuppressWarnings("unused")
    private long succeeded;
    @SuppressWarnings("unused")
    private long failed;
    /** Calls skipped because their deadline had passed; single writer like {@link #succeeded}. */
    @SuppressWarnings("unused")
    private long shed;
    /** Calls skipped because their caller had cancelled them; single writer like {@link #succeeded}. */
    @SuppressWarnings("unused")
    private long cancelled;
    /** Failed calls by {@link ErrorKind} ordinal, host-side failures last; single writer like {@link #succeeded}. */
    private final long[] failures = new long[KINDS.length + 1];
    private final LongAdder rejected = new LongAdder();
    private final LongSupplier submitted;
    private final int capacity;
    private final long createdMillis = System.currentTimeMillis();

    DispatcherMetrics(final boolean latencyEnabled, final LongSupplier submitted, final int capacity, final int typeLimit)
    {
        this.latencyEnabled = latencyEnabled;
        this.submitted = submitted;
        this.capacity = capacity;
        // Slot 0 counts the types beyond the limit.
        this.typeLimit = typeLimit;
        this.active = new Phase(typeLimit + 1);
        this.inactive = new Phase(typeLimit + 1);
        this.total = new Phase(typeLimit + 1);
    }

    /**
     * Returns true when per-call latencies are recorded (counters always are).
     *
     * @return true when per-call latencies are recorded (counters always are).
     */
    public boolean latencyEnabled()
    {
        return latencyEnabled;
    }

    /**
     * Owner thread only. Times are {@link System#nanoTime()} readings.
     *
     * @param typeId  the call's {@link TypeIds type number}.
     * @param outcome the plugin's error code (0 for success), or {@link #HOST_FAILURE}.
     */
    void recordCall(final long submitNanos, final long startNanos, final long endNanos, final int typeId, final int outcome)
    {
        if (latencyEnabled)
        {
            final int call = pendingCount;
            final int at = 3 * call;
            pending[at] = startNanos - submitNanos;
            pending[at + 1] = endNanos - startNanos;
            pending[at + 2] = endNanos - submitNanos;
            pendingTypes[call] = typeId;
            pendingFailed[call] = outcome != 0;
            if (++pendingCount == FLUSH_EVERY)
            {
                flush();
            }
        }
        if (outcome == 0)
        {
            SUCCEEDED.setRelease(this, succeeded + 1);
        }
        else
        {
            FAILED.setRelease(this, failed + 1);
            final int kind = outcome == HOST_FAILURE ? HOST_INDEX : ErrorKind.fromCode(outcome).ordinal();
            FAILURES.setRelease(failures, kind, failures[kind] + 1);
        }
    }

    /**
     * Owner thread only: a call finished without entering the plugin, its deadline passed or its caller gone.
     * No latencies: such a call has no service time.
     */
    void recordSkipped(final boolean wasCancelled)
    {
        if (wasCancelled)
        {
            CANCELLED.setRelease(this, cancelled + 1);
        }
        else
        {
            SHED.setRelease(this, shed + 1);
        }
    }

    /** Owner thread only: moves the latencies recorded so far into the histograms readers see. */
    void flush()
    {
        final int count = pendingCount;
        if (count == 0)
        {
            return;
        }
        final long phase = phaser.writerCriticalSectionEnter();
        try
        {
            final Phase target = active;
            for (int call = 0; call < count; call++)
            {
                final int at = 3 * call;
                // A call submitted after its batch's clock reading would show a negative wait: count it as zero.
                final long serviceTime = Math.max(0, pending[at + 1]);
                final long endToEnd = Math.max(0, pending[at + 2]);
                // Service time and end to end go to the call's type only; readers add the types up. Three records a call.
                target.queueWait.recordValue(Math.max(0, pending[at]));
                final int typeId = pendingTypes[call];
                final int slot = slotOf(typeId);
                final TypeFigures figures = target.types[slot];
                (figures != null ? figures : target.type(slot, TypeIds.nameOf(typeId)))
                    .record(serviceTime, endToEnd, pendingFailed[call]);
            }
        }
        finally
        {
            phaser.writerCriticalSectionExit(phase);
        }
        pendingCount = 0;
    }

    /** Owner thread: the slot a type is counted in, given at its first call while slots last. */
    private int slotOf(final int typeId)
    {
        final int known = slotOfType[typeId];
        if (known != 0)
        {
            return known - 1;
        }
        final int slot = typeId == TypeIds.OTHER || typesSeen == typeLimit ? 0 : ++typesSeen;
        slotOfType[typeId] = slot + 1;
        return slot;
    }

    /** Any producer thread: a call refused because the ring was full or the dispatcher shut. */
    void recordRejected()
    {
        rejected.increment();
    }

    /**
     * Returns calls accepted into the ring so far.
     *
     * @return calls accepted into the ring so far.
     */
    public long submittedCount()
    {
        return submitted.getAsLong();
    }

    /**
     * Returns calls finished so far: succeeded, failed, shed or cancelled.
     *
     * @return calls finished so far: succeeded, failed, shed or cancelled.
     */
    public long finishedCount()
    {
        return (long)SUCCEEDED.getAcquire(this) + (long)FAILED.getAcquire(this) + (long)SHED.getAcquire(this)
            + (long)CANCELLED.getAcquire(this);
    }

    /**
     * Returns calls the owner thread completed with a {@link DeadlineExceededException} without calling the
     * plugin.
     *
     * @return calls the owner thread completed with a {@link DeadlineExceededException} without calling the plugin.
     */
    public long shedCount()
    {
        return (long)SHED.getAcquire(this);
    }

    /**
     * Returns cancelled calls the owner thread skipped without calling the plugin.
     *
     * @return cancelled calls the owner thread skipped without calling the plugin.
     */
    public long cancelledCount()
    {
        return (long)CANCELLED.getAcquire(this);
    }

    /**
     * Returns calls accepted and not yet finished: the ring's depth.
     *
     * @return calls accepted and not yet finished: the ring's depth.
     */
    public long pendingCount()
    {
        return Math.max(0, submittedCount() - finishedCount());
    }

    /**
     * Returns the most calls the dispatcher holds, over its lanes.
     *
     * @return the most calls the dispatcher holds, over its lanes.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Latencies and counters since the dispatcher started. Any thread, any time; no reader disturbs another.
     * Latencies of the owner's last few calls may show up only in a later snapshot: the owner hands them over every
     * {@value #FLUSH_EVERY} calls and whenever the ring runs empty.
     *
     * @return an immutable snapshot.
     */
    public synchronized MetricsSnapshot total()
    {
        drain();
        final long done = (long)SUCCEEDED.getAcquire(this);
        final long failures = (long)FAILED.getAcquire(this);
        final long expired = (long)SHED.getAcquire(this);
        final long skipped = (long)CANCELLED.getAcquire(this);
        final long accepted = submitted.getAsLong();
        return new MetricsSnapshot(createdMillis, System.currentTimeMillis(), total.queueWait.copy(),
            total.serviceTime.copy(), total.endToEnd.copy(), accepted, done, failures, expired, skipped, rejected.sum(),
            Math.max(0, accepted - done - failures - expired - skipped), capacity, failuresByKind(), total.byType());
    }

    private Map<String, Long> failuresByKind()
    {
        final Map<String, Long> byKind = new LinkedHashMap<>();
        for (int kind = 0; kind <= HOST_INDEX; kind++)
        {
            final long count = (long)FAILURES.getAcquire(failures, kind);
            if (count != 0)
            {
                byKind.put(kind == HOST_INDEX ? HOST_KIND : KINDS[kind].name(), count);
            }
        }
        return Collections.unmodifiableMap(byKind);
    }

    /** Reader, holding this: swaps the writer's figures and adds what they held to the total. */
    private void drain()
    {
        phaser.readerLock();
        try
        {
            final Phase drained = active;
            inactive.reset();
            active = inactive;
            phaser.flipPhase();
            inactive = drained;
        }
        finally
        {
            phaser.readerUnlock();
        }
        total.add(inactive);
    }

    /**
     * The figures of one phase of the writer, or the total. The writer records queue wait overall and the other two
     * times per type; {@link #serviceTime} and {@link #endToEnd} overall are kept in the total only.
     */
    private static final class Phase
    {
        final Histogram queueWait = histogram();
        final Histogram serviceTime = histogram();
        final Histogram endToEnd = histogram();
        /** By slot; made by the writer on a type's first call in this phase, or by the reader when adding. */
        final TypeFigures[] types;

        Phase(final int slots)
        {
            types = new TypeFigures[slots];
        }

        TypeFigures type(final int slot, final String name)
        {
            TypeFigures figures = types[slot];
            if (figures == null)
            {
                figures = new TypeFigures(slot == 0 ? TypeIds.OTHER_NAME : name);
                types[slot] = figures;
            }
            return figures;
        }

        void reset()
        {
            queueWait.reset();
            serviceTime.reset();
            endToEnd.reset();
            for (final TypeFigures figures : types)
            {
                if (figures != null)
                {
                    figures.reset();
                }
            }
        }

        /** Reader: adds a writer's phase to the total; the overall service and end-to-end times are its types' sums. */
        void add(final Phase other)
        {
            queueWait.add(other.queueWait);
            for (int slot = 0; slot < types.length; slot++)
            {
                final TypeFigures figures = other.types[slot];
                if (figures != null)
                {
                    type(slot, figures.name).add(figures);
                    serviceTime.add(figures.serviceTime);
                    endToEnd.add(figures.endToEnd);
                }
            }
        }

        Map<String, TypeMetrics> byType()
        {
            final Map<String, TypeMetrics> byType = new LinkedHashMap<>();
            for (final TypeFigures figures : types)
            {
                if (figures != null && figures.endToEnd.getTotalCount() != 0)
                {
                    byType.put(figures.name, figures.snapshot());
                }
            }
            return Collections.unmodifiableMap(byType);
        }
    }

    /** One type's calls in one phase, or in the total. */
    private static final class TypeFigures
    {
        final String name;
        final Histogram serviceTime = histogram();
        final Histogram endToEnd = histogram();
        long failed;

        TypeFigures(final String name)
        {
            this.name = name;
        }

        void record(final long serviceNanos, final long endToEndNanos, final boolean callFailed)
        {
            serviceTime.recordValue(serviceNanos);
            endToEnd.recordValue(endToEndNanos);
            if (callFailed)
            {
                failed++;
            }
        }

        void reset()
        {
            serviceTime.reset();
            endToEnd.reset();
            failed = 0;
        }

        void add(final TypeFigures other)
        {
            serviceTime.add(other.serviceTime);
            endToEnd.add(other.endToEnd);
            failed += other.failed;
        }

        TypeMetrics snapshot()
        {
            return new TypeMetrics(name, endToEnd.getTotalCount(), failed, serviceTime.copy(), endToEnd.copy());
        }
    }

    private static Histogram histogram()
    {
        return new Histogram(SIGNIFICANT_DIGITS);
    }
}
