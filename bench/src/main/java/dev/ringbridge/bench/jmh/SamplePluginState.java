package dev.ringbridge.bench.jmh;

import dev.ringbridge.dispatcher.CallType;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.LogLevel;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginLoadException;
import dev.ringbridge.ffi.bundle.BundleLoader;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the sample bundle named by the system property {@code ringbridge.sample.bundle} (the Maven
 * profile {@code jmh} passes it to the forked JVMs) and holds the requests every benchmark sends.
 */
final class SamplePluginState
{
    static final String ECHO_TAG = Workload.ECHO_64.typeTag();
    static final String ECHO_64 = Workload.ECHO_64.json();
    static final CallType<String, String> ECHO = CallType.json(ECHO_TAG);

    private SamplePluginState()
    {
    }

    static NativePlugin load() throws PluginLoadException
    {
        final String property = System.getProperty("ringbridge.sample.bundle");
        if (property == null || !Files.isRegularFile(Path.of(property)))
        {
            throw new IllegalStateException("system property ringbridge.sample.bundle must name sync-demo-0.1.0.rbp, was " + property);
        }
        return BundleLoader.builder().verifySignatures(false).build()
            .load(Path.of(property), PluginConfig.builder().logLevel(LogLevel.WARN).build());
    }

    /** A native copy of the binary request in {@code arena}, readable from any thread. */
    static MemorySegment binaryRequest(final Arena arena)
    {
        final MemorySegment request = arena.allocate(Workload.BINARY_REQUEST_BYTES, 8);
        request.copyFrom(MemorySegment.ofArray(Workload.binaryRequest()));
        return request;
    }
}
