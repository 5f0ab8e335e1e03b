package dev.ringbridge.bench.report;

import dev.ringbridge.bench.scenario.Measure;
import dev.ringbridge.bench.scenario.ScenarioResult;
import dev.ringbridge.bench.scenario.Spread;
import dev.ringbridge.bench.scenario.Units;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The results as rows, one per measurement: as text for the console table and the HTML report (µs with
 * three significant digits, "2.51M" calls/s), and as plain numbers for {@code results.csv}. Percentiles
 * follow {@link PercentileRule}; a cell with nothing to show is "-" in text and empty in the CSV.
 *
 * <p>Each row also shows what it rests on: its sample count, and the lowest, median and highest value of
 * its measure's headline figure across the passes ({@link #figure(Measure)}).
 */
final class ResultTable
{
    static final String[] HEADER = {"measure", "workload", "condition", "contender", "n",
        "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "p99.99 µs", "max µs", "calls/s", "CPU cores", "B/call", "GCs",
        "passes: min / median / max", "notes"};
    static final String[] CSV_HEADER = {"id", "measure", "workload", "condition", "contender", "samples",
        "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "p99.99 µs", "max µs", "calls/s", "CPU cores", "B/call", "GCs", "GC ms",
        "passes", "per-pass figure", "pass min", "pass median", "pass max", "notes"};
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    /** The text columns: label columns first, the spread and the notes last; the rest are numbers. */
    private static final int FIRST_NUMBER = 4;
    private static final int LAST_NUMBER = 14;

    /**
     * The figure a row's spread is given for: the one its measure is read by.
     *
     * @param name   the figure's name and unit.
     * @param metric the figure of one pass; NaN when the pass cannot give it.
     * @param text   how the console writes it.
     * @param digits decimals in the CSV.
     */
    record Figure(String name, ToDoubleFunction<ScenarioResult> metric, DoubleFunction<String> text, int digits)
    {
    }

    private ResultTable()
    {
    }

    /**
     * @param measure a measure.
     * @return its headline figure: calls/s for saturation, p50 for round trips, p99 at a constant rate,
     *         the overhead over a direct call for worker cost, the producers' CPU while blocked.
     */
    static Figure figure(final Measure measure)
    {
        return switch (measure)
        {
            case SATURATION, POOL_SCALING -> new Figure("calls/s", ScenarioResult::callsPerSecond, Units::count, 0);
            case ROUND_TRIP -> new Figure("p50 µs", r -> percentileNanos(r, 50) / 1000, micros -> Units.micros(micros * 1000), 3);
            case CONSTANT_RATE -> new Figure("p99 µs", r -> percentileNanos(r, 99) / 1000, micros -> Units.micros(micros * 1000), 3);
            case HANDLER_COST -> new Figure("overhead ns", r -> r.workerCost().overheadNanos(),
                nanos -> String.format(Locale.ROOT, "%+.0f", nanos), 1);
            case BLOCKED_PRODUCERS -> new Figure("producer cores", r -> r.blockedCpu().producerCores(), cores -> Units.plain(cores, 3), 3);
            case OVERLOAD -> new Figure("goodput/s", r -> r.overload().goodPerSecond(), Units::count, 0);
            case PRIORITY -> new Figure("urgent p99 µs", r -> percentileNanos(r, 99) / 1000, micros -> Units.micros(micros * 1000), 3);
        };
    }

    /**
     * @param result     a latency result.
     * @param percentile the percentile.
     * @return its value in nanoseconds, or NaN when there is no histogram or too few samples for it.
     */
    static double percentileNanos(final ScenarioResult result, final double percentile)
    {
        final Histogram latency = result.latency();
        return latency == null || !PercentileRule.supports(latency.getTotalCount(), percentile)
            ? Double.NaN
            : latency.getValueAtPercentile(percentile);
    }

    /**
     * @param column a column of {@link #HEADER}.
     * @return true for a column of numbers (right-aligned).
     */
    static boolean numeric(final int column)
    {
        return column >= FIRST_NUMBER && column <= LAST_NUMBER;
    }

    static String[] row(final ScenarioResult result)
    {
        final String[] row = new String[HEADER.length];
        row[0] = result.measure().slug();
        row[1] = result.workload().label();
        row[2] = result.condition();
        row[3] = result.contender();
        row[4] = Long.toString(result.samples());
        final Histogram latency = result.latency();
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            row[5 + i] = Units.micros(percentileNanos(result, PERCENTILES[i]));
        }
        row[10] = latency == null ? "-" : Units.micros(latency.getMaxValue());
        row[11] = Units.count(result.callsPerSecond());
        row[12] = Units.plain(result.cpuCores(), 2);
        row[13] = Units.plain(result.bytesPerCall(), 0);
        row[14] = result.collections() == null ? "-"
            : result.collections().count() == 0 ? "0" : result.collections().count() + " (" + result.collections().millis() + " ms)";
        row[15] = spreadText(result);
        row[16] = notes(result);
        return row;
    }

    static String[] csvRow(final ScenarioResult result)
    {
        final String[] row = new String[CSV_HEADER.length];
        row[0] = result.id();
        row[1] = result.measure().slug();
        row[2] = result.workload().label();
        // The CSV spells rates out: 50% (812345/s), not 50% (812k/s).
        row[3] = result.measure() == Measure.CONSTANT_RATE
            ? String.format(Locale.ROOT, "%d%% (%.0f/s)", Math.round(result.rateFraction() * 100), result.offeredPerSecond())
            : result.condition();
        row[4] = result.contender();
        row[5] = Long.toString(result.samples());
        final Histogram latency = result.latency();
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            row[6 + i] = number(percentileNanos(result, PERCENTILES[i]) / 1000, 3);
        }
        row[11] = latency == null ? "" : number(latency.getMaxValue() / 1000.0, 3);
        row[12] = number(result.callsPerSecond(), 0);
        row[13] = number(result.cpuCores(), 3);
        row[14] = number(result.bytesPerCall(), 1);
        row[15] = result.collections() == null ? "" : Long.toString(result.collections().count());
        row[16] = result.collections() == null ? "" : Long.toString(result.collections().millis());
        final Figure figure = figure(result.measure());
        final Spread spread = result.spread(figure.metric());
        row[17] = Integer.toString(result.passes().size());
        row[18] = figure.name();
        row[19] = number(spread.min(), figure.digits());
        row[20] = number(spread.median(), figure.digits());
        row[21] = number(spread.max(), figure.digits());
        row[22] = result.measure() == Measure.CONSTANT_RATE ? "" : notes(result);
        return row;
    }

    /**
     * @return the rows as an aligned text table, one block per measure.
     */
    static String text(final List<ScenarioResult> results)
    {
        final List<String[]> rows = new ArrayList<>();
        results.forEach(result -> rows.add(row(result)));
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
        final StringBuilder out = new StringBuilder(rows.size() * 200);
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
            final String format = numeric(i) ? "%" + widths[i] + "s  " : "%-" + widths[i] + "s  ";
            out.append(String.format(Locale.ROOT, format, cells[i]));
        }
        out.setLength(out.length() - 2);
        out.append(System.lineSeparator());
    }

    private static String spreadText(final ScenarioResult result)
    {
        final Figure figure = figure(result.measure());
        final Spread spread = result.spread(figure.metric());
        if (result.passes().size() == 1)
        {
            return "1 pass";
        }
        if (spread.count() == 0)
        {
            return result.passes().size() + ": too few samples for " + figure.name();
        }
        return String.format(Locale.ROOT, "%d: %s / %s / %s %s", result.passes().size(), figure.text().apply(spread.min()),
            figure.text().apply(spread.median()), figure.text().apply(spread.max()), figure.name());
    }

    private static String number(final double value, final int digits)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + digits + "f", value);
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
            case PRIORITY -> "urgent calls at " + Units.count(result.offeredPerSecond()) + "/s beside 2 producers keeping the normal lane full";
            case OVERLOAD -> String.format(Locale.ROOT, "offered %s/s: within %.0f ms %s/s, late %s/s, shed %s/s; latencies of answered calls",
                Units.count(result.offeredPerSecond()), result.overload().deadlineMillis(), Units.count(result.overload().goodPerSecond()),
                Units.count(result.overload().latePerSecond()), Units.count(result.overload().shedPerSecond()));
            case SATURATION, ROUND_TRIP -> "";
            case POOL_SCALING -> result.contender().startsWith("pool-") ? result.contender().substring(5) + " instance(s), each with its own owner thread" : "one dispatcher";
        };
    }
}
