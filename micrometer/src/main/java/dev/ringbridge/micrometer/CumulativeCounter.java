package dev.ringbridge.micrometer;

import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.MetricsSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.function.ToLongFunction;

/**
 * A {@link FunctionCounter} over one figure of the dispatcher's totals: the dispatcher counts, the registry only
 * reads, and a pool's totals include its replaced instances, so the counter never goes back.
 */
final class CumulativeCounter
{
    private CumulativeCounter()
    {
    }

    static void register(final MeterRegistry registry, final Dispatcher dispatcher, final Readings readings,
        final String name, final String description, final Tags tags, final ToLongFunction<MetricsSnapshot> figure)
    {
        FunctionCounter.builder(name, dispatcher, owner -> figure.applyAsLong(readings.totals()))
            .description(description)
            .tags(tags)
            .register(registry);
    }
}
