package dev.ringbridge.micrometer;

import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.DispatcherBuilder;
import dev.ringbridge.dispatcher.MetricsSnapshot;
import dev.ringbridge.dispatcher.TypeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.function.Function;

/**
 * The meters of each call type, tagged {@code type}: calls, failures, and end-to-end latency. Registered when a read
 * first sees the type, so types that appear after binding show up (from the scrape after the one that saw them).
 * The dispatcher bounds the tag's values: it counts at most {@link DispatcherBuilder#typeLimit(int) typeLimit} types
 * (16 by default) and the rest as {@code (other)}.
 *
 * <p>The names differ from the dispatcher-wide ones ({@code ringbridge.type.*}) because some backends, Prometheus
 * among them, want one set of tag keys per name.
 */
final class TypeMeters
{
    private TypeMeters()
    {
    }

    /**
     * Makes the registrar of the per-type meters.
     *
     * @return registers the meters of each type it has not seen.
     */
    static KeyedMeters registrar(final MeterRegistry registry, final Dispatcher dispatcher, final Readings readings, final Tags tags)
    {
        return new KeyedMeters(type -> register(registry, dispatcher, readings, tags.and("type", type), type));
    }

    private static void register(final MeterRegistry registry, final Dispatcher dispatcher, final Readings readings,
        final Tags tags, final String type)
    {
        CumulativeCounter.register(registry, dispatcher, readings, "ringbridge.type.calls",
            "Calls of this type that entered the plugin", tags, snapshot -> ofType(snapshot, type, TypeMetrics::calls, 0L));
        CumulativeCounter.register(registry, dispatcher, readings, "ringbridge.type.failed",
            "Calls of this type that entered the plugin and failed", tags, snapshot -> ofType(snapshot, type, TypeMetrics::failed, 0L));
        LatencyMeters.register(registry, dispatcher, readings, "ringbridge.type.end.to.end",
            "Submit until the result is ready, for calls of this type", tags,
            snapshot -> ofType(snapshot, type, TypeMetrics::endToEnd, null));
    }

    /** A figure of a type, or {@code none}: an interval leaves out the types without calls. */
    private static <T> T ofType(final MetricsSnapshot snapshot, final String type, final Function<TypeMetrics, T> figure, final T none)
    {
        final TypeMetrics figures = snapshot.byType().get(type);
        return figures == null ? none : figure.apply(figures);
    }
}
