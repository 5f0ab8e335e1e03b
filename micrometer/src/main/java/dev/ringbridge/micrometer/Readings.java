package dev.ringbridge.micrometer;

import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.MetricsReader;
import dev.ringbridge.dispatcher.MetricsSnapshot;
import io.micrometer.core.instrument.Clock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What one registry's meters read from one dispatcher: its cumulative totals, and the latest interval of a
 * {@link MetricsReader} of its own (so the meters take nothing from any other reader of the dispatcher). Both are
 * cached: totals for at most {@link #TOTALS_MAX_AGE} (one scrape), the interval for one step. Each registry bound gets
 * a {@code Readings} of its own, so two registries that read at different paces never split intervals between them.
 */
final class Readings
{
    /** Meters read within this time of each other share one cumulative snapshot. */
    static final Duration TOTALS_MAX_AGE = Duration.ofSeconds(1);

    private final Cached<MetricsSnapshot> totals;
    private final Cached<MetricsSnapshot> interval;
    private final List<Consumer<MetricsSnapshot>> totalsListeners = new CopyOnWriteArrayList<>();
    /** The last totals handed to the listeners; a benign race may hand the same one twice. */
    private volatile MetricsSnapshot announced;

    Readings(final Dispatcher dispatcher, final Duration step, final Clock clock)
    {
        final MetricsReader reader = dispatcher.newMetricsReader();
        this.totals = new Cached<>(dispatcher::totalMetrics, clock, step.compareTo(TOTALS_MAX_AGE) < 0 ? step : TOTALS_MAX_AGE);
        this.interval = new Cached<>(reader::next, clock, step);
    }

    /**
     * Calls {@code listener} with each new cumulative snapshot, outside any lock of ours: so meters for keys that
     * appear later (a new call type, an error kind) are registered as soon as a read sees them.
     */
    void onNewTotals(final Consumer<MetricsSnapshot> listener)
    {
        totalsListeners.add(listener);
    }

    /** Everything since the dispatcher started, at most one scrape old. */
    MetricsSnapshot totals()
    {
        final MetricsSnapshot now = totals.get();
        if (now != announced)
        {
            announced = now;
            for (final Consumer<MetricsSnapshot> listener : totalsListeners)
            {
                listener.accept(now);
            }
        }
        return now;
    }

    /** The latest interval of this registry's own reader, at most one step old. */
    MetricsSnapshot interval()
    {
        return interval.get();
    }
}
