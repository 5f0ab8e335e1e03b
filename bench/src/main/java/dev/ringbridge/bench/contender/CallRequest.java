package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.PluginException;

/**
 * The request a peer's producer hands to its worker: the workload's JSON text, or its binary request as
 * bytes (the only binary form a queue of objects can carry, as for the baseline). Made once per producer
 * and reused for every call; never modified.
 */
final class CallRequest
{
    private final String typeTag;
    private final String json;
    private final byte[] binary;

    private CallRequest(final String typeTag, final String json, final byte[] binary)
    {
        this.typeTag = typeTag;
        this.json = json;
        this.binary = binary;
    }

    /**
     * @param workload the call.
     * @return the workload's request.
     */
    static CallRequest of(final Workload workload)
    {
        return workload.binary() ? new CallRequest(null, null, Workload.binaryRequest()) : json(workload.typeTag(), workload.json());
    }

    /**
     * @param typeTag the handler's type tag.
     * @param json    the request.
     * @return a JSON request.
     */
    static CallRequest json(final String typeTag, final String json)
    {
        return new CallRequest(typeTag, json, null);
    }

    /**
     * Makes the call on the worker thread, through the session that thread opened.
     *
     * @param session the worker's session.
     * @return the response: a JSON string or the binary response bytes.
     * @throws PluginException when the plugin fails the call.
     */
    Object callOn(final CallSession session) throws PluginException
    {
        return binary != null ? session.callRaw(Workload.BINARY_MESSAGE_ID, binary) : session.call(typeTag, json);
    }
}
