package dev.ringbridge.bench;

import dev.ringbridge.bench.scenario.Measure;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the whole suite with the {@code smoke} profile (a few seconds) against the real sample bundle, so
 * that every contender, scenario and report writer runs in CI; the figures themselves are not checked.
 */
class BenchMainTest
{
    @Test
    void shouldWriteTheReportFilesWithPlotsAndEnvironment(@TempDir final Path out) throws Exception
    {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final Path report = BenchMain.run(new String[] {"--profile", "smoke", "--out", out.toString(), "--bundle", bundle()},
            new PrintStream(console, true, StandardCharsets.UTF_8), new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertEquals(out.resolve("report.html"), report);
        for (final String file : new String[] {"report.html", "summary.txt", "results.csv", "latency.hlog"})
        {
            assertTrue(Files.size(out.resolve(file)) > 0, file + " is written");
        }
        try (Stream<Path> percentiles = Files.list(out.resolve("hgrm")))
        {
            final long count = percentiles.filter(path -> path.toString().endsWith(".hgrm")).count();
            // Round trip: 11 contenders and ring-backoff's submit().join() x 2 workloads; constant rate: 13 (with the two floors) x 1 rate;
            // overload: ring-backoff with and without a deadline, and the baseline; priority: with and without lanes.
            assertEquals(42, count, "one percentile file per latency scenario");
        }
        final String csv = Files.readString(out.resolve("results.csv"));
        for (final String contender : new String[] {"ring-backoff", "ring-backoff+deadline", "baseline"})
        {
            assertTrue(csv.contains("overload_sleep-1ms_r200_" + contender.replace("+", "-") + ","), "an overload row for " + contender);
        }
        assertTrue(csv.contains("priority_sleep-1ms_r10_ring-backoff-lanes,") && csv.contains("priority_sleep-1ms_r10_ring-backoff,"),
            "priority rows with and without lanes");
        final String percentiles = Files.readString(out.resolve("hgrm/round-trip_echo-64B_ring-yielding.hgrm"));
        assertTrue(percentiles.contains("#[Mean"), "percentile files are HdrHistogram's own format");
        assertTrue(percentiles.contains("#[Rows stop at percentile"), "cut where the sample count stops supporting percentiles");
        assertTrue(Files.isRegularFile(out.resolve("hgrm/round-trip_binary-76B_ring-backoff-submit-join.hgrm")),
            "the default mode's submit().join() round trip");
        assertTrue(Files.readString(out.resolve("latency.hlog")).contains("Tag=constant-rate_echo-64B_r50_baseline,"),
            "the interval log tags each scenario");

        final String html = Files.readString(report);
        assertTrue(html.contains("<h2 id=\"environment\">"), "environment block");
        assertTrue(html.contains("<th>Cores</th>") && html.contains("<th>JDK</th>") && html.contains("<th>Profile</th>"));
        assertTrue(html.contains("<th>ringbridge</th><td>0.") && html.contains("<th>Git commit</th>"), "version and commit");
        assertTrue(html.contains("JCTools 4.") && html.contains("Agrona 2.") && html.contains("Disruptor 4."), "dependency versions");
        assertTrue(html.contains("1/(1 - p)"), "the percentile rule is stated");
        assertTrue(html.split("<svg ", -1).length - 1 >= 6, "saturation, round-trip, constant-rate, cost and CPU plots");
        assertTrue(html.contains("<polyline"), "percentile lines");
        assertTrue(html.contains("<rect x="), "bars");
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
            "nothing to fetch: the report opens offline");
        assertFalse(html.contains("<script"), "no script needed");

        final String table = console.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("p99.99") && table.contains("calls/s"), "console table");
        for (final String peer : new String[] {" executor ", " jctools ", " agrona ", " ring-backoff submit().join() "})
        {
            assertTrue(table.contains(peer), peer + " runs");
        }
        assertTrue(table.contains("Targets"), "target verdicts");
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("\r["), "progress line");
        assertPlainNumbers(out.resolve("results.csv"));
    }

    /** The CSV holds one row per measurement, numbers without units or suffixes ("2512345", not "2.51M"). */
    private static void assertPlainNumbers(final Path csv) throws Exception
    {
        final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        final List<String> header = cells(lines.getFirst());
        final List<String> text = List.of("id", "measure", "workload", "condition", "contender", "per-pass figure", "notes");
        assertTrue(header.containsAll(List.of("samples", "calls/s", "p50 µs", "pass min", "pass median", "pass max")), header.toString());
        for (final String line : lines.subList(1, lines.size()))
        {
            final List<String> row = cells(line);
            assertEquals(header.size(), row.size(), line);
            for (int i = 0; i < row.size(); i++)
            {
                if (!text.contains(header.get(i)) && !row.get(i).isEmpty())
                {
                    final int column = i;
                    assertDoesNotThrow(() -> Double.parseDouble(row.get(column)), header.get(column) + " is a plain number in " + line);
                }
            }
        }
    }

    @Test
    void shouldRefuseAnUnknownProfile()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> BenchProfile.named("huge"));
        assertTrue(refused.getMessage().contains("huge"));
    }

    @Test
    void shouldRefuseAMissingBundleArgument()
    {
        final PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> BenchMain.run(new String[] {"--profile", "smoke"}, sink, sink));
        assertTrue(refused.getMessage().contains("--bundle"));
    }

    /** Splits one CSV line; a quoted cell may hold commas and doubled quotes. */
    private static List<String> cells(final String line)
    {
        final List<String> cells = new ArrayList<>();
        final StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"')
            {
                cell.append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.add(cell.toString());
                cell.setLength(0);
            }
            else
            {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    private static String bundle()
    {
        return SamplePlugin.bundle().toString();
    }

    @Test
    void shouldRunOnlyTheMeasuresNamed()
    {
        assertEquals(EnumSet.of(Measure.POOL_SCALING, Measure.OVERLOAD),
            BenchMain.measures("pool-scaling, overload"));
        assertTrue(BenchMain.measures("constant-rate").contains(Measure.SATURATION),
            "constant rate is paced by the saturation it measures first");
        assertEquals(Measure.values().length, BenchMain.measures("all").size());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchMain.measures("pool"));
        assertTrue(e.getMessage().contains("unknown measure \"pool\"") && e.getMessage().contains("pool-scaling"), e.getMessage());
    }
}
