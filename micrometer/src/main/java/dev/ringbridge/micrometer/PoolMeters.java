package dev.ringbridge.micrometer;

import dev.ringbridge.dispatcher.PluginPool;
import dev.ringbridge.dispatcher.PoolHealth;
import dev.ringbridge.dispatcher.SlotHealth;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.function.ToLongFunction;

/**
 * The meters only a pool has, read from {@link PluginPool#health()}: instance restarts and panics per slot (a slot is
 * fixed for the pool's life, so the {@code slot} tag is bounded by its size) and the slots running now.
 */
final class PoolMeters
{
    private PoolMeters()
    {
    }

    static void register(final MeterRegistry registry, final PluginPool pool, final Tags tags)
    {
        final int slots = pool.health().slots().size();
        for (int slot = 0; slot < slots; slot++)
        {
            final Tags slotTags = tags.and("slot", Integer.toString(slot));
            perSlot(registry, pool, slot, "ringbridge.pool.restarts", "Instances replaced in this slot", slotTags, SlotHealth::restarts);
            perSlot(registry, pool, slot, "ringbridge.pool.panics", "Instances of this slot that panicked", slotTags, SlotHealth::failures);
        }
        Gauge.builder("ringbridge.pool.running", pool, owner -> owner.health().running())
            .description("Slots whose instance is running now")
            .tags(tags)
            .register(registry);
    }

    private static void perSlot(final MeterRegistry registry, final PluginPool pool, final int slot, final String name,
        final String description, final Tags tags, final ToLongFunction<SlotHealth> figure)
    {
        FunctionCounter.builder(name, pool, owner -> figure.applyAsLong(slotOf(owner.health(), slot)))
            .description(description)
            .tags(tags)
            .register(registry);
    }

    private static SlotHealth slotOf(final PoolHealth health, final int slot)
    {
        return health.slots().get(slot);
    }
}
