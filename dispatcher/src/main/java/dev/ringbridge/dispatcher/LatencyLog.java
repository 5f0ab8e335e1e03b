package dev.ringbridge.dispatcher;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * An HdrHistogram interval log ({@code .hlog}) of a dispatcher's or a pool's latencies, written by a thread of its own
 * every interval: three histograms per interval in nanoseconds, tagged {@code queue-wait}, {@code service} and
 * {@code end-to-end}. The owner thread does no file I/O and no extra work: the log reads through a
 * {@link MetricsReader} of its own, so it disturbs no other reader. Plot it with the tools that read HdrHistogram
 * logs (HistogramLogAnalyzer, {@code HistogramLogProcessor -csv}), as the bench's report is.
 *
 * <pre>{@code
 * try (LatencyLog log = LatencyLog.start(dispatcher, Path.of("plugin.hlog"), Duration.ofSeconds(10))) { ... }
 * }</pre>
 */
public final class LatencyLog implements AutoCloseable
{
    /** The tags of the three histograms of each interval. */
    public static final String QUEUE_WAIT = "queue-wait";
    /** Tag of the service-time histograms. */
    public static final String SERVICE = "service";
    /** Tag of the end-to-end histograms. */
    public static final String END_TO_END = "end-to-end";

    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final MetricsReader reader;
    private final Thread thread;
    private final long intervalNanos;
    /** Guarded by this. */
    private boolean closed;

    private LatencyLog(final PrintStream out, final MetricsReader reader, final Duration interval, final String name)
    {
        this.out = out;
        this.writer = new HistogramLogWriter(out);
        this.reader = reader;
        this.intervalNanos = interval.toNanos();
        final long now = System.currentTimeMillis();
        writer.outputLogFormatVersion();
        writer.outputComment("ringbridge " + name + ": latencies in nanoseconds, tagged queue-wait, service and end-to-end");
        writer.outputStartTime(now);
        writer.setBaseTime(now);
        writer.outputLegend();
        this.thread = Thread.ofPlatform().daemon().name("ringbridge-latency-log-" + name).start(this::writePeriodically);
    }

    /**
     * Opens (or replaces) the log file and starts writing an interval every {@code interval}.
     *
     * @param dispatcher the dispatcher or pool whose latencies are logged.
     * @param file       the {@code .hlog} file.
     * @param interval   the length of each interval, at least 10 ms.
     * @return the running log; close it to write the last interval and close the file.
     * @throws IOException when the file cannot be opened.
     * @throws IllegalArgumentException when the interval is shorter than 10 ms.
     */
    public static LatencyLog start(final Dispatcher dispatcher, final Path file, final Duration interval) throws IOException
    {
        Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        if (interval.toMillis() < 10)
        {
            throw new IllegalArgumentException("interval must be at least 10 ms, not " + interval);
        }
        final PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.US_ASCII);
        return new LatencyLog(out, dispatcher.newMetricsReader(), interval, file.getFileName().toString());
    }

    private void writePeriodically()
    {
        long next = System.nanoTime() + intervalNanos;
        while (true)
        {
            final long wait = next - System.nanoTime();
            synchronized (this)
            {
                if (closed)
                {
                    return;
                }
                if (wait > 0)
                {
                    try
                    {
                        wait(Math.max(1, wait / 1_000_000));
                    }
                    catch (final InterruptedException e)
                    {
                        return;
                    }
                    continue;
                }
                writeInterval();
            }
            next += intervalNanos;
        }
    }

    /** Holding this: one interval's three histograms. */
    private void writeInterval()
    {
        final MetricsSnapshot interval = reader.next();
        write(interval.queueWait(), QUEUE_WAIT, interval);
        write(interval.serviceTime(), SERVICE, interval);
        write(interval.endToEnd(), END_TO_END, interval);
        out.flush();
    }

    private void write(final Histogram histogram, final String tag, final MetricsSnapshot interval)
    {
        histogram.setStartTimeStamp(interval.startMillis());
        histogram.setEndTimeStamp(interval.endMillis());
        histogram.setTag(tag);
        writer.outputIntervalHistogram(histogram);
    }

    /** Writes the last interval, stops the log's thread and closes the file. Idempotent. */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            writeInterval();
            closed = true;
            notifyAll();
        }
        try
        {
            thread.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            out.close();
        }
    }
}
