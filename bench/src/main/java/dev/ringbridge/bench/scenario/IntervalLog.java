package dev.ringbridge.bench.scenario;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The HdrHistogram interval log of the whole run: every latency scenario records into a
 * {@link Recording}, and a background thread writes its interval histograms, tagged with the
 * scenario's id, at a fixed period. Writing on another thread keeps file I/O out of the measured loop.
 *
 * <p><b>Threads.</b> One recording at a time; its single measuring thread calls {@link Recording#record};
 * the coordinating thread starts and finishes recordings; the log thread flushes intervals. Recording
 * start, flush and finish serialise on this object; {@code record} never locks.
 */
public final class IntervalLog implements AutoCloseable
{
    private static final int SIGNIFICANT_DIGITS = 3;

    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final long periodMillis;
    private final Thread flusher;
    /** Guarded by this. */
    private Recording active;
    /** Guarded by this. */
    private boolean closed;

    /**
     * Opens the log file and starts the log thread.
     *
     * @param file   where the log is written.
     * @param period the interval length.
     * @throws FileNotFoundException when the file cannot be created.
     */
    public IntervalLog(final Path file, final Duration period) throws FileNotFoundException
    {
        this.out = new PrintStream(file.toFile());
        this.writer = new HistogramLogWriter(out);
        this.periodMillis = Math.max(10, period.toMillis());
        final long now = System.currentTimeMillis();
        writer.outputLogFormatVersion();
        writer.outputComment("ringbridge bench: per-scenario latency intervals in nanoseconds, tagged with the scenario id");
        writer.outputStartTime(now);
        writer.setBaseTime(now);
        writer.outputLegend();
        this.flusher = new Thread(this::flushPeriodically, "bench-interval-log");
        flusher.setDaemon(true);
        flusher.start();
    }

    /**
     * Starts recording a scenario.
     *
     * @param tag the scenario id (no spaces or commas).
     * @return the recording the measuring thread records into.
     */
    public synchronized Recording start(final String tag)
    {
        if (active != null)
        {
            throw new IllegalStateException("recording " + active.tag + " is still running");
        }
        active = new Recording(tag);
        return active;
    }

    /**
     * Writes the last interval of a recording and stops it.
     *
     * @param recording the active recording.
     * @return every value it recorded.
     */
    public synchronized Histogram finish(final Recording recording)
    {
        if (recording != active)
        {
            throw new IllegalStateException("recording " + recording.tag + " is not the active one");
        }
        flush(recording);
        active = null;
        out.flush();
        return recording.total;
    }

    @Override
    public void close()
    {
        synchronized (this)
        {
            closed = true;
            notifyAll();
        }
        try
        {
            flusher.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        out.close();
    }

    private void flushPeriodically()
    {
        synchronized (this)
        {
            while (!closed)
            {
                try
                {
                    wait(periodMillis);
                }
                catch (final InterruptedException e)
                {
                    return;
                }
                if (active != null)
                {
                    flush(active);
                }
            }
        }
    }

    private void flush(final Recording recording)
    {
        final Histogram interval = recording.recorder.getIntervalHistogram(recording.recycled);
        recording.recycled = interval;
        if (interval.getTotalCount() > 0)
        {
            interval.setTag(recording.tag);
            writer.outputIntervalHistogram(interval);
            recording.total.add(interval);
        }
    }

    /**
     * The latencies of one scenario, recorded by one thread.
     */
    public static final class Recording
    {
        private final String tag;
        private final SingleWriterRecorder recorder = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
        private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
        /** The previous interval histogram, reused by the next flush; touched under the log's lock. */
        private Histogram recycled;

        private Recording(final String tag)
        {
            this.tag = tag;
        }

        /**
         * Records one latency; wait-free. Only the scenario's measuring thread may call it.
         *
         * @param nanos the latency in nanoseconds.
         */
        public void record(final long nanos)
        {
            recorder.recordValue(nanos);
        }
    }
}
