package dev.ringbridge.bench.report;

import dev.ringbridge.bench.scenario.ScenarioResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's report files into one directory: {@code report.html}, {@code summary.txt} (the console
 * table), {@code results.csv}, and one {@code .hgrm} percentile distribution per latency scenario under
 * {@code hgrm/}. The HdrHistogram interval log ({@code latency.hlog}) is written during the run.
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
        final List<TargetCheck.Verdict> verdicts = new TargetCheck(results).verdicts();
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
     * @return one line per target: met or missed, and the figures compared.
     */
    public static String verdicts(final List<ScenarioResult> results)
    {
        final StringBuilder out = new StringBuilder(1024);
        for (final TargetCheck.Verdict verdict : new TargetCheck(results).verdicts())
        {
            out.append(verdict.met() ? "  met     " : "  MISSED  ").append(verdict.target()).append(System.lineSeparator())
                .append("          ").append(verdict.measured()).append(System.lineSeparator());
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
            try (PrintStream out = new PrintStream(Files.newOutputStream(hgrm.resolve(name)), false, StandardCharsets.UTF_8))
            {
                // Recorded in nanoseconds, written in microseconds.
                result.latency().outputPercentileDistribution(out, 1000.0);
            }
            files.put(result.id(), "hgrm/" + name);
        }
        return files;
    }

    private void writeCsv(final List<ScenarioResult> results) throws IOException
    {
        final StringBuilder csv = new StringBuilder(results.size() * 160);
        csv.append("id,").append(String.join(",", ResultTable.HEADER)).append('\n');
        for (final ScenarioResult result : results)
        {
            csv.append(result.id());
            for (final String cell : ResultTable.row(result))
            {
                csv.append(',').append(cell.contains(",") ? "\"" + cell + "\"" : cell);
            }
            csv.append('\n');
        }
        Files.writeString(directory.resolve("results.csv"), csv, StandardCharsets.UTF_8);
    }
}
