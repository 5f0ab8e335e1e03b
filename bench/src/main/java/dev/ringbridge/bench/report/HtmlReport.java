package dev.ringbridge.bench.report;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.bench.scenario.Measure;
import dev.ringbridge.bench.scenario.ScenarioResult;
import dev.ringbridge.bench.scenario.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The self-contained HTML report: environment, target verdicts, plots (inline SVG) and tables. It
 * references nothing outside the file except the {@code .hgrm} and log files next to it, so it opens
 * offline.
 */
final class HtmlReport
{
    private static final String STYLE = """
        body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1400px; }
        h1 { margin-bottom: 4px; } h2 { margin-top: 36px; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 12px 0; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
        table.results td { white-space: nowrap; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #f2f2f2; }
        .met { color: #1a7f37; font-weight: bold; } .missed { color: #cf222e; font-weight: bold; }
        .tie { color: #9a6700; font-weight: bold; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        .chart { border: 1px solid #eee; background: #fff; }
        p.note { font-size: 13px; color: #444; max-width: 1000px; }
        """;

    private final Environment environment;
    private final List<ScenarioResult> results;
    private final List<Verdict> verdicts;
    private final Map<String, String> files;
    private final StringBuilder html = new StringBuilder(1 << 18);

    /**
     * @param environment where and how the run happened.
     * @param results     every result.
     * @param verdicts    the target verdicts.
     * @param files       file name by scenario id, for the links to the percentile files.
     */
    HtmlReport(final Environment environment, final List<ScenarioResult> results, final List<Verdict> verdicts,
        final Map<String, String> files)
    {
        this.environment = environment;
        this.results = results;
        this.verdicts = verdicts;
        this.files = files;
    }

    String render()
    {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<title>ringbridge benchmark report</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
            .append("<h1>ringbridge benchmark report</h1>\n")
            .append("<p class=\"note\">Every contender ran in this one process, against the same <code>sync-demo</code> plugin, ")
            .append("one scenario at a time. Ratios between contenders are meaningful; absolute figures belong to this machine.</p>\n")
            .append("<p class=\"note\">How to read the tables. <b>n</b> is what a row rests on: latencies recorded, calls counted, ")
            .append("or rounds timed. Each timed scenario ran in passes spread over the run; <b>passes: min / median / max</b> is the ")
            .append("spread of the measure's headline figure (calls/s, p50, p99, overhead) across them, and a merged row adds the ")
            .append("passes' latencies up and averages their rates. ").append(Html.escape(PercentileRule.STATEMENT))
            .append(" The plots stop each line at the same percentile.</p>\n");
        environment();
        targets();
        throughput(Measure.SATURATION, "Producers call as fast as the contender takes calls: synchronous contenders call in "
            + "place, the others hand off and block only while their queue (1024 calls) is full. Calls per second over the "
            + "measured window; CPU cores is process CPU time over wall time.");
        throughput(Measure.POOL_SCALING, "Eight producers submit as fast as pools of 1, 2, 4 and 8 instances take calls, each "
            + "instance with its own owner thread, ring (1024 calls) and copy of the library; echo also through the single "
            + "dispatcher. A 1 ms sleep keeps the plugin, not the CPU, busy: instances scale it. An echo is CPU-bound: on two "
            + "cores a second owner thread competes with the producers.");
        latencySection(Measure.ROUND_TRIP, "One caller makes blocking calls back to back; each call is timed from before the "
            + "call to after its result, so it includes every hand-off and thread wake-up.");
        latencySection(Measure.CONSTANT_RATE, "One pacing thread offers calls at a constant rate, a fraction of the baseline's "
            + "one-producer saturation throughput. Latency runs from each call's intended send time (as wrk2 measures it), "
            + "so a stall counts for every call scheduled behind it: coordinated omission cannot hide it.");
        handlerCost();
        blockedProducers();
        table("All results", results);
        filesSection();
        return html.append("</body>\n</html>\n").toString();
    }

    private void environment()
    {
        html.append("<h2 id=\"environment\">Environment</h2>\n<table class=\"environment\">\n");
        environment.entries().forEach((key, value) ->
            html.append("<tr><th>").append(Html.escape(key)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n"));
        html.append("</table>\n");
    }

    private void targets()
    {
        html.append("<h2 id=\"targets\">Targets</h2>\n<table>\n<tr><th>target</th><th>measured</th><th>verdict</th></tr>\n");
        for (final Verdict verdict : verdicts)
        {
            final String outcome = verdict.outcome().label();
            html.append("<tr><td>").append(Html.escape(verdict.target())).append("</td><td>").append(Html.escape(verdict.measured()))
                .append("</td><td class=\"").append(outcome).append("\">").append(outcome).append("</td></tr>\n");
        }
        html.append("</table>\n<p class=\"note\">Ratios from this one run, judged pass by pass: a ratio's per-pass values pair "
            + "the passes of the two contenders, which ran in the same sweep. <b>met</b>: every pass meets the target; "
            + "<b>missed</b>: none does; <b>tie</b>: the target's bound lies within the passes' spread, so this run cannot tell. "
            + "A single pass is judged by its own figure. A short profile on a shared two-core machine is noisy: repeat, or "
            + "use the full profile, before quoting a figure.</p>\n");
    }

    private void throughput(final Measure measure, final String explanation)
    {
        final List<ScenarioResult> section = select(r -> r.measure() == measure);
        if (section.isEmpty())
        {
            return;
        }
        heading(measure, explanation);
        html.append("<div class=\"charts\">\n");
        for (final Workload workload : workloads(section))
        {
            final List<ScenarioResult> ofWorkload = select(r -> r.measure() == measure && r.workload() == workload);
            final List<Integer> producers = ofWorkload.stream().map(ScenarioResult::producers).distinct().sorted().toList();
            final List<SvgChart.Bars> series = new ArrayList<>();
            for (final String contender : contenders(ofWorkload))
            {
                final double[] values = new double[producers.size()];
                for (int i = 0; i < values.length; i++)
                {
                    final int count = producers.get(i);
                    values[i] = ofWorkload.stream().filter(r -> r.contender().equals(contender) && r.producers() == count)
                        .mapToDouble(r -> r.callsPerSecond() / 1e6).findFirst().orElse(Double.NaN);
                }
                series.add(new SvgChart.Bars(contender, color(ofWorkload, contender), values));
            }
            html.append(SvgChart.bars(measure.title() + ", " + workload.label(), "million calls/s",
                producers.stream().map(p -> p + (p == 1 ? " producer" : " producers")).toList(), series));
        }
        html.append("</div>\n");
        table(null, section);
    }

    private void latencySection(final Measure measure, final String explanation)
    {
        final List<ScenarioResult> section = select(r -> r.measure() == measure);
        if (section.isEmpty())
        {
            return;
        }
        heading(measure, explanation);
        final Map<String, List<ScenarioResult>> plots = new LinkedHashMap<>();
        for (final ScenarioResult result : section)
        {
            final String title = measure == Measure.CONSTANT_RATE
                ? String.format(Locale.ROOT, "%s at %d%% of baseline saturation (%s/s)", result.workload().label(),
                    Math.round(result.rateFraction() * 100), Units.count(result.offeredPerSecond()))
                : "Round trip, " + result.workload().label();
            plots.computeIfAbsent(title, key -> new ArrayList<>()).add(result);
        }
        html.append("<div class=\"charts\">\n");
        plots.forEach((title, plotted) -> html.append(SvgChart.percentiles(title, plotted.stream()
            .map(r -> new SvgChart.Line(r.contender(), color(plotted, r.contender()), r.latency())).toList())));
        html.append("</div>\n");
        table(null, section);
    }

    private void handlerCost()
    {
        final List<ScenarioResult> section = select(r -> r.measure() == Measure.HANDLER_COST);
        if (section.isEmpty())
        {
            return;
        }
        heading(Measure.HANDLER_COST, "The worker thread drains a full queue while no producer runs: a 1 ms sleep call holds "
            + "it while 1023 calls are queued, and the worker's clock runs from the end of the first to the end of the last. "
            + "Just before, in a completion callback on the sleep call, the worker itself calls the same session method "
            + "directly 1023 times. The difference is the hand-off's cost on the worker: taking the call, freeing its room, "
            + "metrics, completing the future. Medians over the rounds; the overhead is the median of the per-round differences.");
        final List<Workload> workloads = workloads(section);
        final List<SvgChart.Bars> series = new ArrayList<>();
        for (final String contender : contenders(section))
        {
            final double[] values = workloads.stream().mapToDouble(w -> section.stream()
                .filter(r -> r.contender().equals(contender) && r.workload() == w)
                .mapToDouble(r -> r.workerCost().overheadNanos()).findFirst().orElse(Double.NaN)).toArray();
            series.add(new SvgChart.Bars(contender, color(section, contender), values));
        }
        html.append("<div class=\"charts\">\n")
            .append(SvgChart.bars("Worker time per call above a direct call", "ns per call",
                workloads.stream().map(Workload::label).toList(), series))
            .append("</div>\n");
        table(null, section);
    }

    private void blockedProducers()
    {
        final List<ScenarioResult> section = select(r -> r.measure() == Measure.BLOCKED_PRODUCERS);
        if (section.isEmpty())
        {
            return;
        }
        heading(Measure.BLOCKED_PRODUCERS, "Producers keep submitting 1 ms sleep calls into a queue of 16, so they are blocked "
            + "nearly all the time. CPU time of the producers (summed) and of the worker thread, over wall time: a parked "
            + "producer costs nothing, one spinning in a claim loop costs a core.");
        final List<SvgChart.Bars> series = new ArrayList<>();
        for (final ScenarioResult result : section)
        {
            series.add(new SvgChart.Bars(result.contender(), result.kind().color(),
                new double[] {result.blockedCpu().producerCores(), result.blockedCpu().workerCores()}));
        }
        html.append("<div class=\"charts\">\n")
            .append(SvgChart.bars("CPU while blocked, " + section.getFirst().producers() + " producers", "cores (CPU time / wall time)",
                List.of("blocked producers", "worker thread"), series))
            .append("</div>\n");
        table(null, section);
    }

    private void filesSection()
    {
        html.append("<h2 id=\"files\">Files</h2>\n<p class=\"note\">The rows above in plain numbers: "
            + "<a href=\"results.csv\">results.csv</a>. HdrHistogram interval log of every latency scenario, "
            + "tagged with the scenario id: <a href=\"latency.hlog\">latency.hlog</a>. Percentile distributions "
            + "(values in µs, rows cut by the rule above):</p>\n<ul>\n");
        files.forEach((id, file) -> html.append("<li><a href=\"").append(Html.escape(file)).append("\">")
            .append(Html.escape(file)).append("</a></li>\n"));
        html.append("</ul>\n");
    }

    private void heading(final Measure measure, final String explanation)
    {
        html.append("<h2 id=\"").append(measure.slug()).append("\">").append(Html.escape(measure.title())).append("</h2>\n")
            .append("<p class=\"note\">").append(Html.escape(explanation)).append("</p>\n");
    }

    private void table(final String title, final List<ScenarioResult> rows)
    {
        if (title != null)
        {
            html.append("<h2 id=\"all\">").append(Html.escape(title)).append("</h2>\n");
        }
        html.append("<table class=\"results\">\n<tr>");
        for (final String header : ResultTable.HEADER)
        {
            html.append("<th>").append(Html.escape(header)).append("</th>");
        }
        html.append("</tr>\n");
        for (final ScenarioResult result : rows)
        {
            final String[] cells = ResultTable.row(result);
            html.append("<tr>");
            for (int i = 0; i < cells.length; i++)
            {
                html.append(ResultTable.numeric(i) ? "<td class=\"num\">" : "<td>").append(Html.escape(cells[i])).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private List<ScenarioResult> select(final Predicate<ScenarioResult> filter)
    {
        return results.stream().filter(filter).toList();
    }

    private static List<Workload> workloads(final List<ScenarioResult> rows)
    {
        final Set<Workload> workloads = new LinkedHashSet<>();
        rows.forEach(r -> workloads.add(r.workload()));
        return List.copyOf(workloads);
    }

    private static List<String> contenders(final List<ScenarioResult> rows)
    {
        final Set<String> contenders = new LinkedHashSet<>();
        rows.forEach(r -> contenders.add(r.contender()));
        return List.copyOf(contenders);
    }

    private static String color(final List<ScenarioResult> rows, final String contender)
    {
        return rows.stream().filter(r -> r.contender().equals(contender)).findFirst()
            .map(r -> r.contender().equals(r.kind().label()) ? r.kind().color() : "#bcbd22")
            .orElse("#999999");
    }
}
