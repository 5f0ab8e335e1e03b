package dev.ringbridge.micrometer;

import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.DispatcherMetrics;
import dev.ringbridge.dispatcher.MetricsSnapshot;
import dev.ringbridge.ffi.ErrorKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The dispatcher's call counters, and its failures per error kind.
 *
 * <p>A counter for every {@link ErrorKind} and for {@value DispatcherMetrics#HOST_KIND} is registered up front, at 0:
 * the kinds are a fixed, small set (15), and a counter that exists before its first failure lets a backend's rate
 * see that failure (a series that starts at 1 shows no increase). A kind the snapshot names that is not in that set
 * gets its counter when a read first sees it.
 */
final class CallMeters
{
    private CallMeters()
    {
    }

    /**
     * Registers the counters.
     *
     * @return the failure counters per kind, for kinds that appear later.
     */
    static KeyedMeters register(final MeterRegistry registry, final Dispatcher dispatcher, final Readings readings, final Tags tags)
    {
        counter(registry, dispatcher, readings, "submitted", "Calls accepted", tags, MetricsSnapshot::submitted);
        counter(registry, dispatcher, readings, "succeeded", "Calls that returned a result", tags, MetricsSnapshot::succeeded);
        counter(registry, dispatcher, readings, "rejected", "Calls refused: ring full on trySubmit, or shut down", tags, MetricsSnapshot::rejected);
        counter(registry, dispatcher, readings, "shed", "Calls whose deadline passed before they started; the plugin not called", tags, MetricsSnapshot::shed);
        counter(registry, dispatcher, readings, "cancelled", "Calls cancelled before they started; the plugin not called", tags, MetricsSnapshot::cancelled);
        final KeyedMeters kinds = new KeyedMeters(kind -> counter(registry, dispatcher, readings, "failed",
            "Calls that finished with an error, by the plugin's error kind (HOST: failed on the host side)",
            tags.and("kind", kind), snapshot -> snapshot.failedByKind().getOrDefault(kind, 0L)));
        kinds.registerNew(knownKinds());
        return kinds;
    }

    private static List<String> knownKinds()
    {
        final List<String> kinds = new ArrayList<>();
        for (final ErrorKind kind : ErrorKind.values())
        {
            kinds.add(kind.name());
        }
        kinds.add(DispatcherMetrics.HOST_KIND);
        return kinds;
    }

    private static void counter(final MeterRegistry registry, final Dispatcher dispatcher, final Readings readings,
        final String outcome, final String description, final Tags tags, final ToLongFunction<MetricsSnapshot> figure)
    {
        CumulativeCounter.register(registry, dispatcher, readings, "ringbridge.calls." + outcome, description, tags, figure);
    }
}
