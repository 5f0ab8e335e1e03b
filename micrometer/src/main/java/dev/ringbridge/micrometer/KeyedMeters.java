package dev.ringbridge.micrometer;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Meters registered once per key (a call type, an error kind) as keys appear: the dispatcher bounds the keys (its
 * type limit, the error kinds), so this set is bounded too.
 */
final class KeyedMeters
{
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Consumer<String> register;

    /**
     * Meters registered by {@code register}, once per key.
     *
     * @param register registers the meters of one key; called once per key.
     */
    KeyedMeters(final Consumer<String> register)
    {
        this.register = register;
    }

    /** Registers the meters of each key not seen before. */
    void registerNew(final Collection<String> keys)
    {
        for (final String key : keys)
        {
            if (registered.add(key))
            {
                register.accept(key);
            }
        }
    }
}
