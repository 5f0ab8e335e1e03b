package dev.ringbridge.bench.jmh;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.dispatcher.CallFuture;
import dev.ringbridge.dispatcher.PluginDispatcher;
import dev.ringbridge.dispatcher.WaitMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The per-call cost of going through the dispatcher from one producer thread: a blocking round trip
 * ({@code submit} then {@code join}, which parks at once; {@code call}, which spins first; and
 * {@code callRaw} with caller buffers) and an asynchronous
 * {@code submit} whose future is not awaited (the ring stays full; the time per operation is then the
 * owner thread's time per call). With {@code -prof gc}, the allocation per operation counts every
 * thread, the owner's included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SubmitBenchmark
{
    /** The owner thread's wait mode. */
    @Param({"BACKOFF", "BLOCKING", "YIELDING"})
    public WaitMode waitMode;

    /** Whether the dispatcher records latency histograms (its default is true). */
    @Param({"true", "false"})
    public boolean metrics;

    private PluginDispatcher dispatcher;
    private Arena arena;
    private MemorySegment request;
    private MemorySegment response;

    /**
     * Loads the plugin and starts the dispatcher.
     *
     * @throws Exception when the bundle cannot be loaded.
     */
    @Setup(Level.Trial)
    public void start() throws Exception
    {
        dispatcher = PluginDispatcher.builder(SamplePluginState.load()).waitMode(waitMode).metrics(metrics).build();
        arena = Arena.ofShared();
        request = SamplePluginState.binaryRequest(arena);
        response = arena.allocate(Workload.BINARY_RESPONSE_BYTES, 8);
    }

    /**
     * Stops the dispatcher (and closes the plugin).
     */
    @TearDown(Level.Trial)
    public void stop()
    {
        dispatcher.close();
        arena.close();
    }

    /**
     * @return the echo's response text, after waiting for it.
     * @throws InterruptedException never here.
     */
    @Benchmark
    public String submitJoin() throws InterruptedException
    {
        return dispatcher.submit(SamplePluginState.ECHO, SamplePluginState.ECHO_64).join();
    }

    /**
     * @return the echo's response text from the dispatcher's blocking call, which spins before it parks.
     * @throws Exception never, with the sample plugin.
     */
    @Benchmark
    public String call() throws Exception
    {
        return dispatcher.call(SamplePluginState.ECHO, SamplePluginState.ECHO_64);
    }

    /**
     * @return the response length of binary message 1, written into this benchmark's buffer.
     * @throws Exception never, with the sample plugin.
     */
    @Benchmark
    public long callRawSegments() throws Exception
    {
        return dispatcher.callRaw(Workload.BINARY_MESSAGE_ID, request, response);
    }

    /**
     * @return the future of an echo, not awaited: the producer runs ahead until the ring is full.
     * @throws InterruptedException never here.
     */
    @Benchmark
    public CallFuture<String> submitAsync() throws InterruptedException
    {
        return dispatcher.submit(SamplePluginState.ECHO, SamplePluginState.ECHO_64);
    }
}
