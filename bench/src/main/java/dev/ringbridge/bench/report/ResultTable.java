package dev.ringbridge.bench.report;

import dev.ringbridge.bench.scenario.Measure;
import dev.ringbridge.bench.scenario.ScenarioResult;
import dev.ringbridge.bench.scenario.Units;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results as rows of text, shared by the console table, the CSV file and the HTML report.
 * Latencies are in microseconds; a measure that has no latency shows "-".
 */
final class ResultTable
{
    static final String[] HEADER = {"measure", "workload", "condition", "contender",
        "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "p99.99 µs", "max µs", "calls/s", "CPU cores", "B/call", "GCs", "notes"};
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private ResultTable()
    {
    }

    static List<String[]> rows(final List<ScenarioResult> results)
    {
        final List<String[]> rows = new ArrayList<>();
        for (final ScenarioResult result : results)
        {
            rows.add(row(result));
        }
        return rows;
    }

    static String[] row(final ScenarioResult result)
    {
        final String[] row = new String[HEADER.length];
        row[0] = result.measure().slug();
        row[1] = result.workload().label();
        row[2] = result.condition();
        row[3] = result.contender();
        final Histogram latency = result.latency();
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            row[4 + i] = latency == null ? "-" : Units.micros(latency.getValueAtPercentile(PERCENTILES[i]));
        }
        row[9] = latency == null ? "-" : Units.micros(latency.getMaxValue());
        row[10] = Units.count(result.callsPerSecond());
        row[11] = Units.plain(result.cpuCores(), 2);
        row[12] = Units.plain(result.bytesPerCall(), 0);
        row[13] = result.collections() == null ? "-"
            : result.collections().count() == 0 ? "0" : result.collections().count() + " (" + result.collections().millis() + " ms)";
        row[14] = notes(result);
        return row;
    }

    /**
     * @return the rows as an aligned text table, one block per measure.
     */
    static String text(final List<ScenarioResult> results)
    {
        final List<String[]> rows = rows(results);
        final int[] widths = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++)
        {
            widths[i] = HEADER[i].length();
        }
        for (final String[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final StringBuilder out = new StringBuilder(rows.size() * 160);
        Measure current = null;
        for (int r = 0; r < rows.size(); r++)
        {
            if (results.get(r).measure() != current)
            {
                current = results.get(r).measure();
                out.append(System.lineSeparator()).append("== ").append(current.title()).append(System.lineSeparator());
                line(out, HEADER, widths);
            }
            line(out, rows.get(r), widths);
        }
        return out.toString();
    }

    private static void line(final StringBuilder out, final String[] cells, final int[] widths)
    {
        for (int i = 1; i < cells.length; i++)
        {
            // Text columns left-aligned, numbers right-aligned; the measure is the block's heading.
            final String format = i <= 3 || i == cells.length - 1 ? "%-" + widths[i] + "s  " : "%" + widths[i] + "s  ";
            out.append(String.format(Locale.ROOT, format, cells[i]));
        }
        out.setLength(out.length() - 2);
        out.append(System.lineSeparator());
    }

    private static String notes(final ScenarioResult result)
    {
        return switch (result.measure())
        {
            case HANDLER_COST -> String.format(Locale.ROOT, "worker %.0f ns/call, direct %.0f ns/call: %+.0f ns",
                result.workerCost().nanosPerCall(), result.workerCost().directNanosPerCall(), result.workerCost().overheadNanos());
            case BLOCKED_PRODUCERS -> String.format(Locale.ROOT, "producers %.3f cores, worker %s cores",
                result.blockedCpu().producerCores(), Units.plain(result.blockedCpu().workerCores(), 3));
            case CONSTANT_RATE -> "offered " + Units.count(result.offeredPerSecond()) + "/s";
            case SATURATION, ROUND_TRIP -> "";
        };
    }
}
