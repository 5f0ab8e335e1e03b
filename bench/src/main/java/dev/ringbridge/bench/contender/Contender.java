package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;

import java.util.Optional;

/**
 * One way of letting many JVM threads call a plugin that must only be called by one thread at a time.
 * A contender is built for one measurement, used by its producer threads and closed; only one
 * contender is alive at any time, so a spinning one cannot steal CPU from the next.
 */
public interface Contender extends AutoCloseable
{
    /**
     * @return which contender this is.
     */
    ContenderKind kind();

    /**
     * @return the name shown in the report; the kind's label unless the contender runs a variant.
     */
    default String label()
    {
        return kind().label();
    }

    /**
     * Opens a caller for the calling thread, which then owns it.
     *
     * @param workload the call the caller makes.
     * @return the caller.
     */
    Caller open(Workload workload);

    /**
     * @return the thread that makes the plugin calls on behalf of the producers, if there is one.
     */
    Optional<Thread> worker();

    /**
     * Stops the contender after every accepted call has finished; the plugin stays open.
     */
    @Override
    void close();
}
