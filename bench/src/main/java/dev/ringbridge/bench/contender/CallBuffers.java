package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A producer's own native request and response buffers for the binary workload, allocated once and
 * reused for every call, so the binary path can run without allocating. Shared memory, because a
 * dispatcher's owner thread reads the request and writes the response.
 *
 * <p><b>Threads.</b> Owned by one producer; another thread may use the segments only while that
 * producer waits for the call that uses them.
 */
final class CallBuffers implements AutoCloseable
{
    private final Arena arena = Arena.ofShared();
    private final byte[] requestBytes = Workload.binaryRequest();
    private final MemorySegment request = arena.allocate(Workload.BINARY_REQUEST_BYTES, 8);
    private final MemorySegment response = arena.allocate(Workload.BINARY_RESPONSE_BYTES, 8);

    CallBuffers()
    {
        request.copyFrom(MemorySegment.ofArray(requestBytes));
    }

    /** The request as a heap array, for the paths that take bytes; never modified. */
    byte[] requestBytes()
    {
        return requestBytes;
    }

    MemorySegment request()
    {
        return request;
    }

    MemorySegment response()
    {
        return response;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
