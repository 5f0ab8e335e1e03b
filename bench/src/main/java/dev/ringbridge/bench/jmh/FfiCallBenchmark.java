package dev.ringbridge.bench.jmh;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.CallSession;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The per-call cost of the {@code ffi} path on one thread, with no hand-off: the floor under every
 * contender. Run with {@code -prof gc} to see the allocation per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FfiCallBenchmark
{
    private NativePlugin plugin;
    private CallSession session;
    private Arena arena;
    private MemorySegment request;
    private MemorySegment response;
    private byte[] requestBytes;

    /**
     * Loads the plugin and opens this thread's session (JMH runs thread-scoped setup on the benchmark thread).
     *
     * @throws Exception when the bundle cannot be loaded.
     */
    @Setup(Level.Trial)
    public void open() throws Exception
    {
        plugin = SamplePluginState.load();
        session = plugin.openSession();
        arena = Arena.ofConfined();
        request = SamplePluginState.binaryRequest(arena);
        response = arena.allocate(Workload.BINARY_RESPONSE_BYTES, 8);
        requestBytes = Workload.binaryRequest();
    }

    /**
     * Closes the session and the plugin.
     */
    @TearDown(Level.Trial)
    public void close()
    {
        session.close();
        arena.close();
        plugin.close();
    }

    /**
     * @return the response text of a JSON echo of a 64-byte message.
     * @throws PluginException never, with the sample plugin.
     */
    @Benchmark
    public String echo64() throws PluginException
    {
        return session.call(SamplePluginState.ECHO_TAG, SamplePluginState.ECHO_64);
    }

    /**
     * @return the response length of binary message 1 written into a caller buffer.
     * @throws PluginException never, with the sample plugin.
     */
    @Benchmark
    public long binarySegments() throws PluginException
    {
        return session.callRaw(Workload.BINARY_MESSAGE_ID, request, response);
    }

    /**
     * @return the response of binary message 1 as a new array (the path {@code submitRaw} runs on the owner thread).
     * @throws PluginException never, with the sample plugin.
     */
    @Benchmark
    public byte[] binaryBytes() throws PluginException
    {
        return session.callRaw(Workload.BINARY_MESSAGE_ID, requestBytes);
    }
}
