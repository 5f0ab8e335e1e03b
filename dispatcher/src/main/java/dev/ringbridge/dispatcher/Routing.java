package dev.ringbridge.dispatcher;

/**
 * How a {@link PluginPool} picks the instance for a call without a key (a call with a key always goes to the key's
 * instance).
 */
public enum Routing
{
    /**
     * Of two instances picked at random, the one with fewer calls pending (gRPC's {@code least_request}, the "power
     * of two choices"): one slow call does not pile work on its instance, and no shared state is touched per call.
     */
    LEAST_PENDING_OF_TWO,

    /**
     * Each calling thread takes the instances in turn. Even when every call costs the same; blind to an instance that
     * is stuck on a slow call.
     */
    ROUND_ROBIN
}
