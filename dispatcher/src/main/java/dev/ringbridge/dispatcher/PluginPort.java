package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;

import java.lang.foreign.MemorySegment;

/**
 * What the owner thread needs of its plugin: the one seam between the ring and native code. {@link NativePort} is
 * the real one, over a {@code NativePlugin} and its {@code CallSession}; the dispatcher's tests also drive the
 * handler and the gate with an in-process fake, so their invariants are checked without a native library.
 *
 * <p>{@link #open()}, the exchanges, the last answer's accessors and {@link #release} run on the owner thread only.
 * The state queries may run anywhere.
 */
interface PluginPort
{
    /** Owner thread, before the first call: opens what the calls go through. */
    void open();

    /** The JSON transport; returns the answer's bytes (envelope or error text), its code in {@link #lastErrorCode()}. */
    byte[] exchange(MemorySegment typeTag, byte[] request) throws PluginException;

    /** The binary transport into a new array; its code in {@link #lastErrorCode()}. */
    byte[] exchangeRaw(int messageId, byte[] request) throws PluginException;

    /** The binary transport into the caller's memory: the length written, or negative on an error answer. */
    long exchangeRaw(int messageId, MemorySegment request, MemorySegment response) throws PluginException;

    /** The code of the last answer (0 for success). */
    int lastErrorCode();

    /** The bytes of the last error answer. */
    byte[] lastErrorBody();

    /**
     * Owner thread, after the last call: closes the session if {@link #open()} opened one, and the plugin too when
     * {@code closePlugin}.
     */
    void release(boolean closePlugin);

    boolean hasBinaryTransport();

    /** True once a panic left the plugin FAILED. */
    boolean isFailed();

    boolean isClosed();

    String name();
}
