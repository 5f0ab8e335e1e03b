package dev.ringbridge.dispatcher;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Latency histograms and counters of one dispatcher.
 *
 * <p><b>Writers.</b> Only the owner thread records latencies and finished calls, so each histogram
 * is a {@link SingleWriterRecorder} (wait-free recording, no lock) and each counter a single-writer
 * {@link AtomicLong} advanced with a release store. Producers count rejections in a {@link LongAdder}.
 * The number submitted is read off the ring's cursor, so submitting costs nothing extra.
 *
 * <p><b>Readers.</b> {@link #snapshot()} and {@link #total()} may be called from any thread; they
 * serialise among themselves (never with the writer) and recycle the interval histograms.
 */
public final class DispatcherMetrics
{
    private static final int SIGNIFICANT_DIGITS = 3;

    private final boolean latencyEnabled;
    private final Latency queueWait = new Latency();
    private final Latency serviceTime = new Latency();
    private final Latency endToEnd = new Latency();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
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
            queueWait.recorder.recordValue(Math.max(0, startNanos - submitNanos));
            serviceTime.recorder.recordValue(Math.max(0, endNanos - startNanos));
            endToEnd.recorder.recordValue(Math.max(0, endNanos - submitNanos));
        }
        final AtomicLong counter = success ? succeeded : failed;
        counter.setRelease(counter.getPlain() + 1);
    }

    /** Any producer thread: a call refused because the ring was full or the dispatcher shut. */
    void recordRejected()
    {
        rejected.increment();
    }

    /**
     * @return calls accepted into the ring so far.
     */
    public long submittedCount()
    {
        return submitted.getAsLong();
    }

    /**
     * @return calls finished so far, successfully or not.
     */
    public long finishedCount()
    {
        return succeeded.getAcquire() + failed.getAcquire();
    }

    /**
     * @return calls accepted and not yet finished: the ring's depth.
     */
    public long pendingCount()
    {
        return Math.max(0, submittedCount() - finishedCount());
    }

    /**
     * Latencies since the previous call of this method (or since start), with the counters as they are now.
     *
     * @return an immutable snapshot.
     */
    public synchronized MetricsSnapshot snapshot()
    {
        drain();
        final long now = System.currentTimeMillis();
        final MetricsSnapshot snapshot = snapshotOf(intervalStartMillis, now,
            queueWait.interval, serviceTime.interval, endToEnd.interval);
        queueWait.interval.reset();
        serviceTime.interval.reset();
        endToEnd.interval.reset();
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
        return snapshotOf(createdMillis, System.currentTimeMillis(), queueWait.total, serviceTime.total, endToEnd.total);
    }

    private void drain()
    {
        queueWait.drain();
        serviceTime.drain();
        endToEnd.drain();
    }

    private MetricsSnapshot snapshotOf(
        final long startMillis, final long endMillis, final Histogram queue, final Histogram service, final Histogram total)
    {
        final long done = succeeded.getAcquire();
        final long failures = failed.getAcquire();
        final long accepted = submitted.getAsLong();
        return new MetricsSnapshot(startMillis, endMillis, queue.copy(), service.copy(), total.copy(),
            accepted, done, failures, rejected.sum(), Math.max(0, accepted - done - failures), capacity);
    }

    /**
     * One latency: its recorder (written by the owner thread) and the reader's histograms for the
     * current interval and the whole run. The recorder's interval histogram is recycled.
     */
    private static final class Latency
    {
        final SingleWriterRecorder recorder = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
        final Histogram interval = new Histogram(SIGNIFICANT_DIGITS);
        final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
        private Histogram recycled;

        void drain()
        {
            recycled = recorder.getIntervalHistogram(recycled);
            interval.add(recycled);
            total.add(recycled);
        }
    }
}
