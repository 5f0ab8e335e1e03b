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
    private final SingleWriterRecorder queueWait = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder serviceTime = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder endToEnd = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LongAdder rejected = new LongAdder();
    private final LongSupplier submitted;
    private final int capacity;

    // Reader side, guarded by this.
    private final Histogram queueWaitTotal = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram serviceTimeTotal = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram endToEndTotal = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram queueWaitInterval;
    private Histogram serviceTimeInterval;
    private Histogram endToEndInterval;
    private long intervalStartMillis = System.currentTimeMillis();
    private final long createdMillis = intervalStartMillis;

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
            queueWait.recordValue(Math.max(0, startNanos - submitNanos));
            serviceTime.recordValue(Math.max(0, endNanos - startNanos));
            endToEnd.recordValue(Math.max(0, endNanos - submitNanos));
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
        queueWaitInterval = queueWait.getIntervalHistogram(queueWaitInterval);
        serviceTimeInterval = serviceTime.getIntervalHistogram(serviceTimeInterval);
        endToEndInterval = endToEnd.getIntervalHistogram(endToEndInterval);
        queueWaitTotal.add(queueWaitInterval);
        serviceTimeTotal.add(serviceTimeInterval);
        endToEndTotal.add(endToEndInterval);
        final long now = System.currentTimeMillis();
        final MetricsSnapshot snapshot = snapshotOf(intervalStartMillis, now,
            queueWaitInterval, serviceTimeInterval, endToEndInterval);
        intervalStartMillis = now;
        return snapshot;
    }

    /**
     * Latencies since the dispatcher started, with the counters as they are now.
     *
     * @return an immutable snapshot.
     */
    public synchronized MetricsSnapshot total()
    {
        final Histogram queue = queueWait.getIntervalHistogram();
        final Histogram service = serviceTime.getIntervalHistogram();
        final Histogram total = endToEnd.getIntervalHistogram();
        queueWaitTotal.add(queue);
        serviceTimeTotal.add(service);
        endToEndTotal.add(total);
        return snapshotOf(createdMillis, System.currentTimeMillis(), queueWaitTotal, serviceTimeTotal, endToEndTotal);
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
}
