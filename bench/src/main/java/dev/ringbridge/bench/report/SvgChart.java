package dev.ringbridge.bench.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The report's two kinds of plot, written as inline SVG so the report needs no script and no network:
 * latency by percentile on the usual {@code 1/(1-p)} log axis, and grouped bars.
 */
final class SvgChart
{
    private static final int WIDTH = 680;
    private static final int HEIGHT = 360;
    private static final int LEFT = 64;
    private static final int RIGHT = 190;
    private static final int TOP = 34;
    private static final int BOTTOM = 46;
    private static final String[] PERCENTILE_TICKS = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};

    /** One line of a percentile plot: a latency histogram in nanoseconds. */
    record Line(String label, String color, Histogram histogram)
    {
    }

    /** One series of a bar chart: a value per group, NaN where it was not measured. */
    record Bars(String label, String color, double[] values)
    {
    }

    private SvgChart()
    {
    }

    /**
     * @param title the plot's title.
     * @param lines one line per contender.
     * @return an SVG element: latency in microseconds (log scale) against percentile (log 1/(1-p) scale);
     *         each line stops at the last percentile its sample count supports ({@link PercentileRule}).
     */
    static String percentiles(final String title, final List<Line> lines)
    {
        long maxCount = 10;
        double minMicros = Double.MAX_VALUE;
        double maxMicros = 0;
        for (final Line line : lines)
        {
            final Histogram histogram = line.histogram();
            maxCount = Math.max(maxCount, histogram.getTotalCount());
            minMicros = Math.min(minMicros, Math.max(0.01, histogram.getMinNonZeroValue() / 1000.0));
            maxMicros = Math.max(maxMicros, histogram.getValueAtPercentile(PercentileRule.highest(histogram.getTotalCount())) / 1000.0);
        }
        // The x axis reaches the percentile the largest histogram supports: 1/(1-p) = count.
        final int xDecades = (int)Math.max(2, Math.min(PERCENTILE_TICKS.length - 1, Math.ceil(Math.log10(maxCount))));
        final int yLow = (int)Math.floor(Math.log10(minMicros));
        final int yHigh = Math.max(yLow + 1, (int)Math.ceil(Math.log10(Math.max(maxMicros, minMicros * 1.01))));
        final StringBuilder svg = open(title);
        final double plotWidth = WIDTH - LEFT - RIGHT;
        final double plotHeight = HEIGHT - TOP - BOTTOM;
        for (int decade = 0; decade <= xDecades; decade++)
        {
            final double x = LEFT + plotWidth * decade / xDecades;
            gridLine(svg, x, TOP, x, TOP + plotHeight);
            text(svg, x, TOP + plotHeight + 16, "middle", PERCENTILE_TICKS[decade]);
        }
        for (int decade = yLow; decade <= yHigh; decade++)
        {
            final double y = TOP + plotHeight * (1 - (double)(decade - yLow) / (yHigh - yLow));
            gridLine(svg, LEFT, y, LEFT + plotWidth, y);
            text(svg, LEFT - 6, y + 4, "end", micros(Math.pow(10, decade)));
        }
        text(svg, LEFT + plotWidth / 2, HEIGHT - 8, "middle", "percentile");
        svg.append(String.format(Locale.ROOT,
            "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">latency (µs)</text>%n",
            TOP + plotHeight / 2, TOP + plotHeight / 2));
        int legendRow = 0;
        for (final Line line : lines)
        {
            final StringBuilder points = new StringBuilder();
            for (final double[] level : supportedLevels(line.histogram()))
            {
                final double decades = Math.min(xDecades, Math.log10(1 / (1 - level[0] / 100.0)));
                final double micros = Math.max(Math.pow(10, yLow), level[1] / 1000.0);
                final double x = LEFT + plotWidth * decades / xDecades;
                final double y = TOP + plotHeight * (1 - (Math.log10(micros) - yLow) / (yHigh - yLow));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT,
                "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"><title>%s</title></polyline>%n",
                line.color(), points.toString().trim(), Html.escape(line.label())));
            legend(svg, legendRow++, line.label(), line.color());
        }
        frame(svg, plotWidth, plotHeight);
        return svg.append("</svg>\n").toString();
    }

    /**
     * @return percentile and value (ns) pairs, five per halving of 1 - p, ending exactly at the last
     *         percentile the sample count supports.
     */
    private static List<double[]> supportedLevels(final Histogram histogram)
    {
        final double highest = PercentileRule.highest(histogram.getTotalCount());
        final List<double[]> levels = new ArrayList<>();
        for (final HistogramIterationValue value : histogram.percentiles(5))
        {
            if (value.getPercentileLevelIteratedTo() >= highest)
            {
                break;
            }
            levels.add(new double[] {value.getPercentileLevelIteratedTo(), value.getValueIteratedTo()});
        }
        levels.add(new double[] {highest, histogram.getValueAtPercentile(highest)});
        return levels;
    }

    /**
     * @param title  the chart's title.
     * @param unit   the values' unit, shown on the y axis.
     * @param groups the group labels along the x axis.
     * @param series one series per contender.
     * @return an SVG element with one cluster of bars per group; missing values leave a gap.
     */
    static String bars(final String title, final String unit, final List<String> groups, final List<Bars> series)
    {
        double max = 0;
        double min = 0;
        for (final Bars bars : series)
        {
            for (final double value : bars.values())
            {
                max = Double.isNaN(value) ? max : Math.max(max, value);
                min = Double.isNaN(value) ? min : Math.min(min, value);
            }
        }
        // The axis always includes zero; negative values (a contender faster than its reference) hang below it.
        final double step = niceStep(Math.max(max - min, 1e-9) * 1.1 / 5);
        final double top = Math.max(step, Math.ceil(max * 1.1 / step) * step);
        final double bottom = min < 0 ? Math.floor(min * 1.1 / step) * step : 0;
        final StringBuilder svg = open(title);
        final double plotWidth = WIDTH - LEFT - RIGHT;
        final double plotHeight = HEIGHT - TOP - BOTTOM;
        final DoubleUnaryOperator y = value -> TOP + plotHeight * (top - value) / (top - bottom);
        for (double tick = bottom; tick <= top + step / 2; tick += step)
        {
            gridLine(svg, LEFT, y.applyAsDouble(tick), LEFT + plotWidth, y.applyAsDouble(tick));
            text(svg, LEFT - 6, y.applyAsDouble(tick) + 4, "end", number(Math.abs(tick) < step / 1e6 ? 0 : tick));
        }
        svg.append(String.format(Locale.ROOT,
            "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>%n",
            TOP + plotHeight / 2, TOP + plotHeight / 2, Html.escape(unit)));
        final double groupWidth = plotWidth / groups.size();
        final double barWidth = groupWidth * 0.8 / series.size();
        for (int g = 0; g < groups.size(); g++)
        {
            final double groupLeft = LEFT + g * groupWidth + groupWidth * 0.1;
            text(svg, LEFT + (g + 0.5) * groupWidth, TOP + plotHeight + 16, "middle", groups.get(g));
            for (int s = 0; s < series.size(); s++)
            {
                final double value = series.get(s).values()[g];
                if (Double.isNaN(value))
                {
                    continue;
                }
                final double upper = y.applyAsDouble(Math.max(value, 0));
                final double lower = y.applyAsDouble(Math.min(value, 0));
                svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>%n",
                    groupLeft + s * barWidth, upper, Math.max(1, barWidth - 1), Math.max(0.5, lower - upper),
                    series.get(s).color(), Html.escape(series.get(s).label()), number(value)));
            }
        }
        if (bottom < 0)
        {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>%n",
                LEFT, y.applyAsDouble(0), LEFT + plotWidth, y.applyAsDouble(0)));
        }
        for (int s = 0; s < series.size(); s++)
        {
            legend(svg, s, series.get(s).label(), series.get(s).color());
        }
        frame(svg, plotWidth, plotHeight);
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder open(final String title)
    {
        final StringBuilder svg = new StringBuilder(8192);
        svg.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
            LEFT, Html.escape(title)));
        return svg;
    }

    private static void frame(final StringBuilder svg, final double plotWidth, final double plotHeight)
    {
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333\"/>%n",
            LEFT, TOP, plotWidth, plotHeight));
    }

    private static void legend(final StringBuilder svg, final int row, final String label, final String color)
    {
        final int x = WIDTH - RIGHT + 12;
        final int y = TOP + 8 + row * 16;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"%s\"/>%n", x, y - 8, color));
        text(svg, x + 16, y + 1, "start", label);
    }

    private static void gridLine(final StringBuilder svg, final double x1, final double y1, final double x2, final double y2)
    {
        svg.append(String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", x1, y1, x2, y2));
    }

    private static void text(final StringBuilder svg, final double x, final double y, final String anchor, final String text)
    {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
            x, y, anchor, Html.escape(text)));
    }

    private static double niceStep(final double rough)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        final double normalized = rough / magnitude;
        final double nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static String micros(final double micros)
    {
        return micros >= 1 ? String.format(Locale.ROOT, "%.0f", micros) : String.format(Locale.ROOT, "%s", (float)micros);
    }

    private static String number(final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e6)
        {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        // Three significant digits without trailing zeros: 0.25, 1.5, 0.0333.
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
