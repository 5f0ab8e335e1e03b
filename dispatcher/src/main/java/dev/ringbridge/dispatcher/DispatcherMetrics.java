package dev.ringbridge.dispatcher;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Latency histograms and counters of one dispatcher.
 *
 * <p><b>Writer.</b> Only the owner thread records. Per call it stores three latencies in a small array of its
 * own and bumps a plain counter; every {@value #FLUSH_EVERY} calls and at the end of each batch it moves the
 * stored latencies into the three histograms inside one {@link WriterReaderPhaser} critical section. So a call
 * costs a few plain stores, the histograms' atomics are paid once per flush, and a reader never waits for a
 * native call, only for a flush in progress. Counters are single-writer fields advanced with release stores,
 * read with acquire loads. Producers count rejections in a {@link LongAdder}, on the rejection path only; the
 * number submitted is read off the ring's cursor, so submitting costs nothing extra.
 *
 * <p><b>Readers.</b> {@link #snapshot()} and {@link #total()} may be called from any thread; they serialise among
 * themselves (never with the writer) and swap the writer's histograms with a phase flip.
 */
public final class DispatcherMetrics
{
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int FLUSH_EVERY = 64;
    private static final VarHandle SUCCEEDED;
    private static final VarHandle FAILED;
    private static final VarHandle SHED;
    private static final VarHandle CANCELLED;

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
    /** The writer's histograms; swapped by readers inside a phase flip, read by the writer inside its critical section. */
    private volatile Latencies active = new Latencies();
    /** Reader side, guarded by this. */
    private Latencies inactive = new Latencies();
    private final Latencies interval = new Latencies();
    private final Latencies total = new Latencies();
    // Owner thread only: latencies recorded since the last flush, three per call.
    private final long[] pending = new long[3 * FLUSH_EVERY];
    private int pendingCount;
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
    private final LongAdder rejected = new LongAdder();
    private final LongSupplier submitted;
    private final int capacity;
    private final long createdMillis = System.currentTimeMillis();
    /** Reader side, guarded by this. */
    private long intervalStartMillis = createdMillis;

    DispatcherMetrics(final boolean latencyEnabled, final LongSupplier submitted, final int capacity)
    {
        this.latencyEnabled = latencyEnabled;
        this.submitted = submitted;
        this.capacity = capacity;
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

    /** Owner thread only. Times are {@link System#nanoTime()} readings. */
    void recordCall(final long submitNanos, final long startNanos, final long endNanos, final boolean success)
    {
        if (latencyEnabled)
        {
            final int at = 3 * pendingCount;
            pending[at] = startNanos - submitNanos;
            pending[at + 1] = endNanos - startNanos;
            pending[at + 2] = endNanos - submitNanos;
            if (++pendingCount == FLUSH_EVERY)
            {
                flush();
            }
        }
        if (success)
        {
            SUCCEEDED.setRelease(this, succeeded + 1);
        }
        else
        {
            FAILED.setRelease(this, failed + 1);
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
            final Latencies target = active;
            for (int i = 0; i < 3 * count; i += 3)
            {
                // A call submitted after its batch's clock reading would show a negative wait: count it as zero.
                target.queueWait.recordValue(Math.max(0, pending[i]));
                target.serviceTime.recordValue(Math.max(0, pending[i + 1]));
                target.endToEnd.recordValue(Math.max(0, pending[i + 2]));
            }
        }
        finally
        {
            phaser.writerCriticalSectionExit(phase);
        }
        pendingCount = 0;
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
     * Latencies since the previous call of this method (or since start), with the counters as they are now.
     * Latencies of the owner's last few calls may show up in the next interval: the owner hands them over
     * every {@value #FLUSH_EVERY} calls and whenever the ring runs empty.
     *
     * @return an immutable snapshot.
     */
    public synchronized MetricsSnapshot snapshot()
    {
        drain();
        final long now = System.currentTimeMillis();
        final MetricsSnapshot snapshot = snapshotOf(intervalStartMillis, now, interval);
        interval.reset();
        intervalStartMillis = now;
        return snapshot;
    }

    /**
     * Latencies since the dispatcher started, with the counters as they are now. Does not disturb
     * the intervals of {@link #snapshot()}.
     *
     * @return an immutable snapshot.
     */
    public synchronized MetricsSnapshot total()
    {
        drain();
        return snapshotOf(createdMillis, System.currentTimeMillis(), total);
    }

    /** Reader, holding this: swaps the writer's histograms and adds what they held to the interval and the total. */
    private void drain()
    {
        phaser.readerLock();
        try
        {
            final Latencies drained = active;
            inactive.reset();
            active = inactive;
            phaser.flipPhase();
            inactive = drained;
        }
        finally
        {
            phaser.readerUnlock();
        }
        interval.add(inactive);
        total.add(inactive);
    }

    private MetricsSnapshot snapshotOf(final long startMillis, final long endMillis, final Latencies latencies)
    {
        final long done = (long)SUCCEEDED.getAcquire(this);
        final long failures = (long)FAILED.getAcquire(this);
        final long expired = (long)SHED.getAcquire(this);
        final long skipped = (long)CANCELLED.getAcquire(this);
        final long accepted = submitted.getAsLong();
        return new MetricsSnapshot(startMillis, endMillis, latencies.queueWait.copy(), latencies.serviceTime.copy(),
            latencies.endToEnd.copy(), accepted, done, failures, expired, skipped, rejected.sum(),
            Math.max(0, accepted - done - failures - expired - skipped), capacity);
    }

    /** The three latencies of one phase or view. */
    private static final class Latencies
    {
        final Histogram queueWait = new Histogram(SIGNIFICANT_DIGITS);
        final Histogram serviceTime = new Histogram(SIGNIFICANT_DIGITS);
        final Histogram endToEnd = new Histogram(SIGNIFICANT_DIGITS);

        void reset()
        {
            queueWait.reset();
            serviceTime.reset();
            endToEnd.reset();
        }

        void add(final Latencies other)
        {
            queueWait.add(other.queueWait);
            serviceTime.add(other.serviceTime);
            endToEnd.add(other.endToEnd);
        }
    }
}
