package dev.ringbridge.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

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
            // Round trip: 11 contenders x 2 workloads; constant rate: 13 (with the two floors) x 1 rate.
            assertEquals(35, count, "one percentile file per latency scenario");
        }
        assertTrue(Files.readString(out.resolve("hgrm/round-trip_echo-64B_ring-yielding.hgrm")).contains("#[Mean"),
            "percentile files are HdrHistogram's own format");
        assertTrue(Files.readString(out.resolve("latency.hlog")).contains("Tag=constant-rate_echo-64B_r50_baseline,"),
            "the interval log tags each scenario");

        final String html = Files.readString(report);
        assertTrue(html.contains("<h2 id=\"environment\">"), "environment block");
        assertTrue(html.contains("<th>Cores</th>") && html.contains("<th>JDK</th>") && html.contains("<th>Profile</th>"));
        assertTrue(html.split("<svg ", -1).length - 1 >= 6, "saturation, round-trip, constant-rate, cost and CPU plots");
        assertTrue(html.contains("<polyline"), "percentile lines");
        assertTrue(html.contains("<rect x="), "bars");
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
            "nothing to fetch: the report opens offline");
        assertFalse(html.contains("<script"), "no script needed");

        final String table = console.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("p99.99") && table.contains("calls/s"), "console table");
        for (final String peer : new String[] {" executor ", " jctools ", " agrona "})
        {
            assertTrue(table.contains(peer), peer + " runs");
        }
        assertTrue(table.contains("Targets"), "target verdicts");
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("\r["), "progress line");
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

    private static String bundle()
    {
        final String bundle = System.getProperty("ringbridge.sample.bundle");
        if (bundle == null || !Files.isRegularFile(Path.of(bundle)))
        {
            throw new IllegalStateException("system property ringbridge.sample.bundle must name the sample bundle, was " + bundle);
        }
        return bundle;
    }
}
