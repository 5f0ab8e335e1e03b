package dev.ringbridge.micrometer;

import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.Lane;
import dev.ringbridge.dispatcher.MetricsReader;
import dev.ringbridge.dispatcher.MetricsSnapshot;
import dev.ringbridge.dispatcher.PluginPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Publishes one {@link Dispatcher}'s metrics (a {@link dev.ringbridge.dispatcher.PluginDispatcher PluginDispatcher}
 * or a {@link PluginPool}) to a Micrometer registry, every meter tagged {@code dispatcher=<name>}:
 *
 * <pre>{@code
 * new RingbridgeMetrics(dispatcher, "search").bindTo(registry);
 * }</pre>
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags besides dispatcher</th><th>what</th></tr>
 * <tr><td>{@code ringbridge.pending}</td><td>gauge</td><td>{@code lane}</td><td>calls accepted and not finished, per
 *     lane</td></tr>
 * <tr><td>{@code ringbridge.capacity}</td><td>gauge</td><td>{@code lane}</td><td>the most calls accepted at once, per
 *     lane</td></tr>
 * <tr><td>{@code ringbridge.calls.submitted}, {@code .succeeded}, {@code .rejected}, {@code .shed},
 *     {@code .cancelled}</td><td>function counter</td><td></td><td>calls by outcome, since the start</td></tr>
 * <tr><td>{@code ringbridge.calls.failed}</td><td>function counter</td><td>{@code kind}</td><td>failed calls by
 *     error kind</td></tr>
 * <tr><td>{@code ringbridge.queue.wait}, {@code ringbridge.service}, {@code ringbridge.end.to.end}</td>
 *     <td>function timer</td><td></td><td>count and total time, since the start</td></tr>
 * <tr><td>{@code <latency>.percentile}</td><td>time gauge</td><td>{@code phi} (0.5, 0.99, 0.999)</td>
 *     <td>over the latest interval</td></tr>
 * <tr><td>{@code <latency>.max}</td><td>time gauge</td><td></td><td>over the latest interval</td></tr>
 * <tr><td>{@code ringbridge.type.calls}, {@code ringbridge.type.failed}</td><td>function counter</td>
 *     <td>{@code type}</td><td>calls that entered the plugin, per call type</td></tr>
 * <tr><td>{@code ringbridge.type.end.to.end} (and {@code .percentile}, {@code .max})</td><td>function timer, time
 *     gauges</td><td>{@code type} ({@code phi})</td><td>end-to-end latency per call type</td></tr>
 * <tr><td>{@code ringbridge.pool.restarts}, {@code ringbridge.pool.panics}</td><td>function counter</td>
 *     <td>{@code slot}</td><td>pools only: instances replaced, instances that panicked</td></tr>
 * <tr><td>{@code ringbridge.pool.running}</td><td>gauge</td><td></td><td>pools only: slots running now</td></tr>
 * </table>
 *
 * <p><b>Costs.</b> Only reads, on the thread that reads the registry: the dispatcher's owner thread does nothing
 * more. Counters and timers read {@link Dispatcher#totalMetrics()}, at most once a second however many meters a
 * scrape reads. Percentiles come from a {@link MetricsReader} of the binding's own, so they never take data from
 * another reader (a {@link dev.ringbridge.dispatcher.LatencyLog LatencyLog}, a poller of yours).
 *
 * <p><b>The step.</b> The percentile and max gauges show the latest interval of that reader. The interval is renewed
 * when a meter is read and the current one is at least a step old: all the gauges of one scrape show one interval,
 * and an interval is never shorter than a step (nor longer than the time between two reads that renew it). Nothing
 * runs between reads. The default step, {@link #DEFAULT_STEP}, is a little under a minute so that a registry that
 * publishes every minute (Micrometer's default step) gets a new interval each time despite its timer's jitter; with
 * Prometheus, pick a step a little under the scrape interval. An interval without calls gives NaN percentiles.
 *
 * <p><b>Lanes.</b> The {@code lane} tag is {@code normal}, and {@code high} beside it for a dispatcher built with a
 * {@link dev.ringbridge.dispatcher.DispatcherBuilder#highLane high lane}; sum over {@code lane} for the whole
 * dispatcher.
 *
 * <p><b>Keys that appear later.</b> A failure counter for every error kind is registered up front, at 0, so a
 * backend's rate sees a kind's first failure. Per-type meters are registered when a read first sees the type: a
 * type served after binding shows from the next scrape on. The dispatcher bounds the {@code type} tag: at most its
 * {@link dev.ringbridge.dispatcher.DispatcherBuilder#typeLimit(int) typeLimit} types (16 by default), then
 * {@code (other)}; for a pool, whose instances each count their own first types, at most that many per instance.
 *
 * <p>Each {@link #bindTo(MeterRegistry)} reads through a reader of its own, with the registry's clock: two registries
 * bound to one dispatcher do not split intervals. The meters hold the dispatcher: remove them from a registry that
 * outlives it ({@code registry.find("ringbridge.pending").tag("dispatcher", name)} and so on, or a
 * {@code MeterFilter}). Micrometer's {@code MeterBinder} contract: thread-safe, any number of bindings.
 */
public final class RingbridgeMetrics implements MeterBinder
{
    /** The default step of the interval gauges: 55 seconds, a little under Micrometer's one-minute publishing step. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(55);

    private final Dispatcher dispatcher;
    private final String name;
    private final Duration step;

    /**
     * A binder for one dispatcher or pool, with the {@link #DEFAULT_STEP default step}.
     *
     * @param dispatcher the dispatcher or pool to read.
     * @param name       the value of the {@code dispatcher} tag on every meter; unique within a registry.
     */
    public RingbridgeMetrics(final Dispatcher dispatcher, final String name)
    {
        this(dispatcher, name, DEFAULT_STEP);
    }

    /**
     * A binder for one dispatcher or pool.
     *
     * @param dispatcher the dispatcher or pool to read.
     * @param name       the value of the {@code dispatcher} tag on every meter; unique within a registry.
     * @param step       the shortest interval the percentile and max gauges show; positive.
     * @throws IllegalArgumentException when the step is not positive or the name is blank.
     */
    public RingbridgeMetrics(final Dispatcher dispatcher, final String name, final Duration step)
    {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.step = Objects.requireNonNull(step, "step must not be null");
        if (name.isBlank())
        {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (step.isNegative() || step.isZero())
        {
            throw new IllegalArgumentException("step must be positive, not " + step);
        }
    }

    /**
     * Registers the meters in the table above; the per-type meters of the types already seen, and the rest as reads
     * see them.
     *
     * @param registry the registry; its clock times the step.
     */
    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final Readings readings = new Readings(dispatcher, step, registry.config().clock());
        final Tags tags = Tags.of("dispatcher", name);
        for (final Lane lane : Lane.values())
        {
            if (dispatcher.capacity(lane) > 0)
            {
                final Tags laneTags = tags.and("lane", lane.name().toLowerCase(Locale.ROOT));
                Gauge.builder("ringbridge.pending", dispatcher, owner -> owner.pendingCount(lane))
                    .description("Calls accepted in the lane and not yet finished (queued or running)")
                    .tags(laneTags)
                    .register(registry);
                Gauge.builder("ringbridge.capacity", dispatcher, owner -> owner.capacity(lane))
                    .description("The most calls of the lane accepted and not yet finished at once")
                    .tags(laneTags)
                    .register(registry);
            }
        }
        final KeyedMeters kinds = CallMeters.register(registry, dispatcher, readings, tags);
        latency(registry, readings, "ringbridge.queue.wait", "Submit until the plugin's thread starts the call", tags, MetricsSnapshot::queueWait);
        latency(registry, readings, "ringbridge.service", "The native call itself", tags, MetricsSnapshot::serviceTime);
        latency(registry, readings, "ringbridge.end.to.end", "Submit until the result is ready", tags, MetricsSnapshot::endToEnd);
        if (dispatcher instanceof final PluginPool pool)
        {
            PoolMeters.register(registry, pool, tags);
        }
        final KeyedMeters types = TypeMeters.registrar(registry, dispatcher, readings, tags);
        readings.onNewTotals(totals ->
        {
            kinds.registerNew(totals.failedByKind().keySet());
            types.registerNew(totals.byType().keySet());
        });
        readings.totals();
    }

    private void latency(final MeterRegistry registry, final Readings readings, final String meter, final String description,
        final Tags tags, final Function<MetricsSnapshot, Histogram> histogram)
    {
        LatencyMeters.register(registry, dispatcher, readings, meter, description, tags, histogram);
    }
}
