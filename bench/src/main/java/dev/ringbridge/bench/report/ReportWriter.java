package dev.ringbridge.bench.report;

import dev.ringbridge.bench.scenario.ScenarioResult;
import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's report files into one directory: {@code report.html}, {@code summary.txt} (the console
 * table), {@code results.csv} (the same rows in plain numbers), and one {@code .hgrm} percentile
 * distribution per latency scenario under {@code hgrm/}, cut at the last percentile its sample count
 * supports ({@link PercentileRule}). The HdrHistogram interval log ({@code latency.hlog}) is written
 * during the run.
 */
public final class ReportWriter
{
    /** The report's file name. */
    public static final String REPORT = "report.html";

    private final Path directory;

    /**
     * @param directory the output directory; it must exist.
     */
    public ReportWriter(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * @param environment where and how the run happened.
     * @param results     every result.
     * @return the path of the HTML report.
     * @throws IOException when a file cannot be written.
     */
    public Path write(final Environment environment, final List<ScenarioResult> results) throws IOException
    {
        final Map<String, String> files = writePercentiles(results);
        Files.writeString(directory.resolve("summary.txt"), table(results), StandardCharsets.UTF_8);
        writeCsv(results);
        final List<Verdict> verdicts = new TargetCheck(results).verdicts();
        final Path report = directory.resolve(REPORT);
        Files.writeString(report, new HtmlReport(environment, results, verdicts, files).render(), StandardCharsets.UTF_8);
        return report;
    }

    /**
     * @param results every result.
     * @return the console table: percentiles in µs, calls/s, CPU, allocation, per measure.
     */
    public static String table(final List<ScenarioResult> results)
    {
        return ResultTable.text(results);
    }

    /**
     * @param results every result.
     * @return one line per target: met, tie or missed, and the figures compared.
     */
    public static String verdicts(final List<ScenarioResult> results)
    {
        final StringBuilder out = new StringBuilder(1024);
        for (final Verdict verdict : new TargetCheck(results).verdicts())
        {
            out.append(String.format(Locale.ROOT, "  %-8s", verdict.outcome().console())).append(verdict.target())
                .append(System.lineSeparator()).append("          ").append(verdict.measured()).append(System.lineSeparator());
        }
        return out.toString();
    }

    private Map<String, String> writePercentiles(final List<ScenarioResult> results) throws IOException
    {
        final Path hgrm = Files.createDirectories(directory.resolve("hgrm"));
        final Map<String, String> files = new LinkedHashMap<>();
        for (final ScenarioResult result : results)
        {
            if (result.latency() == null)
            {
                continue;
            }
            final String name = result.id() + ".hgrm";
            Files.writeString(hgrm.resolve(name), percentileDistribution(result.latency()), StandardCharsets.UTF_8);
            files.put(result.id(), "hgrm/" + name);
        }
        return files;
    }

    /**
     * HdrHistogram's own percentile distribution (recorded in nanoseconds, written in microseconds), without
     * the rows beyond the last percentile the sample count supports; the summary lines stay, and one more
     * comment line says where the rows stop and why.
     */
    static String percentileDistribution(final Histogram latency)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8))
        {
            latency.outputPercentileDistribution(out, 1000.0);
        }
        final long count = latency.getTotalCount();
        final double highest = PercentileRule.highest(count);
        final StringBuilder kept = new StringBuilder(bytes.size());
        for (final String line : bytes.toString(StandardCharsets.UTF_8).split("\n", -1))
        {
            final String[] cells = line.trim().split("\\s+");
            final boolean dataRow = cells.length >= 3 && !line.startsWith("#") && Character.isDigit(cells[1].charAt(0));
            if (!dataRow || Double.parseDouble(cells[1]) * 100 <= highest + 1e-9)
            {
                kept.append(line).append('\n');
            }
        }
        kept.setLength(kept.length() - 1);
        return kept.append(String.format(Locale.ROOT, "#[Rows stop at percentile %.4f: %d samples support p only when n >= 1/(1-p)]%n",
            highest, count)).toString();
    }

    private void writeCsv(final List<ScenarioResult> results) throws IOException
    {
        final StringBuilder csv = new StringBuilder(results.size() * 200);
        csvLine(csv, ResultTable.CSV_HEADER);
        for (final ScenarioResult result : results)
        {
            csvLine(csv, ResultTable.csvRow(result));
        }
        Files.writeString(directory.resolve("results.csv"), csv, StandardCharsets.UTF_8);
    }

    private static void csvLine(final StringBuilder csv, final String[] cells)
    {
        for (int i = 0; i < cells.length; i++)
        {
            final String cell = cells[i];
            csv.append(i == 0 ? "" : ",").append(cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
        }
        csv.append('\n');
    }
}
