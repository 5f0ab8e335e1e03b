package dev.ringbridge.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The call path of the one thread that owns a plugin: it reuses its native scratch for the type tag
 * and the request, and one return slot for the struct the plugin returns by value, so a call opens
 * no arena and allocates no native memory in steady state.
 *
 * <p><b>Threads:</b> a session belongs to the thread that opened it ({@link NativePlugin#openSession()});
 * every method throws {@link IllegalStateException} on any other thread. Open one session per thread
 * or use the thread-safe methods of {@link NativePlugin}, which open a short-lived session per call.
 * Closing the session does not close the plugin.
 */
public final class CallSession implements AutoCloseable
{
    private static final int INITIAL_REQUEST_BYTES = 4096;
    private static final int INITIAL_TAG_BYTES = 64;
    private static final int INITIAL_RESPONSE_BYTES = 4096;
    /**
     * All of native memory, to copy out of the plugin's buffers by address: reading the data pointer as a
     * segment and reinterpreting it would create two objects per call that escape analysis may not remove.
     */
    private static final MemorySegment NATIVE_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final NativePlugin plugin;
    private final PluginSymbols symbols;
    private final Thread owner;
    private final Arena arena;
    /** Large enough for FfiBuffer (32 bytes) and RbResponse (24 bytes); every downcall returns into it. */
    private final MemorySegment returnSlot;
    private final SegmentAllocator returnAllocator;
    private final NativeScratch tagScratch;
    private final NativeScratch requestScratch;

    // Owner-thread state, never shared.
    private byte[] response = new byte[INITIAL_RESPONSE_BYTES];
    /** The body of the last exchange: {@link #response} or a fresh array. */
    private byte[] lastBody = response;
    private int lastCode;
    private String encodedTag;
    private MemorySegment encodedTagSegment;
    private boolean closed;

    CallSession(final NativePlugin plugin, final long requestBytesHint)
    {
        this.plugin = plugin;
        this.symbols = plugin.symbols();
        this.owner = Thread.currentThread();
        this.arena = Arena.ofConfined();
        this.returnSlot = arena.allocate(FfiBuffer.LAYOUT);
        // The same slot every time, not a slice per call: the session is single-threaded and consumes the
        // struct before its next downcall, and a slice would be one more object per call.
        this.returnAllocator = (byteSize, byteAlignment) -> returnSlot;
        this.tagScratch = new NativeScratch(INITIAL_TAG_BYTES);
        this.requestScratch = new NativeScratch(Math.max(16, Math.min(requestBytesHint, INITIAL_REQUEST_BYTES)));
    }

    /**
     * Returns the plugin this session calls.
     *
     * @return the plugin this session calls.
     */
    public NativePlugin plugin()
    {
        return plugin;
    }

    /**
     * Calls a JSON handler.
     *
     * @param typeTag the handler's type tag: not empty, no NUL character.
     * @param json    the request JSON, encoded as UTF-8 by {@link Utf8#encode(String, String)}.
     * @return the response payload's JSON text, as the plugin wrote it.
     * @throws PluginException          when the plugin answers with an error (its code is kept).
     * @throws IllegalArgumentException for a bad type tag, or a request with a lone surrogate (naming its index).
     * @throws IllegalStateException    on a thread other than the owner, or when the plugin is closed.
     */
    public String call(final String typeTag, final String json) throws PluginException
    {
        final byte[] utf8 = Utf8.encode(Objects.requireNonNull(json, "json request must not be null"), "request");
        final int length = exchangeJson(encodeTag(typeTag), utf8, false);
        return Responses.jsonText(lastCode, response, length);
    }

    /**
     * Calls a JSON handler with a request that is already UTF-8.
     *
     * @param typeTag the handler's type tag.
     * @param request UTF-8 JSON bytes; malformed UTF-8 is refused with the offset of the first bad byte.
     * @return the response payload's JSON text as UTF-8 bytes.
     * @throws PluginException when the plugin answers with an error.
     */
    public byte[] call(final String typeTag, final byte[] request) throws PluginException
    {
        Utf8.check(Objects.requireNonNull(request, "request must not be null"), "request");
        final int length = exchangeJson(encodeTag(typeTag), request, false);
        return Responses.jsonBytes(lastCode, response, length);
    }

    /**
     * Calls a binary handler and copies its response into a buffer of the caller's; nothing is
     * allocated when the request is a native segment or fits the scratch.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes (heap or native segment).
     * @param response  where the response is written; it must be large enough.
     * @return the number of response bytes written.
     * @throws PluginException               when the plugin answers with an error.
     * @throws IllegalArgumentException      when the response does not fit (the response is released all the same).
     * @throws UnsupportedOperationException when the plugin has no binary transport.
     */
    public long callRaw(final int messageId, final MemorySegment request, final MemorySegment response) throws PluginException
    {
        final long length = exchangeRaw(messageId, request, response);
        if (length < 0)
        {
            throw Responses.failure(lastCode, lastBody, (int)-(length + 1), true);
        }
        return length;
    }

    /**
     * Calls a binary handler.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes.
     * @return the response bytes.
     * @throws PluginException when the plugin answers with an error.
     */
    public byte[] callRaw(final int messageId, final byte[] request) throws PluginException
    {
        final int length = exchangeRaw(messageId, Objects.requireNonNull(request, "request must not be null"), false);
        if (lastCode != 0)
        {
            throw Responses.failure(lastCode, response, length, true);
        }
        return Arrays.copyOf(response, length);
    }

    // ---- undecoded exchanges: the serial part of a call, for a thread that owns the plugin for others ----

    /**
     * Runs {@code plugin_call} and copies the plugin's answer out as it is, without decoding it: the
     * error code is {@link #lastErrorCode()}, and {@link Responses} turns code and bytes into the result
     * or the exception, on any thread. Only a panic (code 11) is looked at here, so the plugin is
     * marked FAILED at once.
     *
     * @param typeTag the type tag as a NUL-terminated UTF-8 string ({@link TypeTag#toNative(String)}),
     *                readable from this thread.
     * @param request the request's UTF-8 bytes, already checked by the caller; not changed.
     * @return a new array holding exactly the bytes the plugin returned.
     * @throws IllegalStateException on a thread other than the owner, or when the plugin is closed.
     * @throws PluginException       when the plugin is FAILED after an earlier panic.
     */
    public byte[] exchange(final MemorySegment typeTag, final byte[] request) throws PluginException
    {
        exchangeJson(typeTag, request, true);
        return lastBody;
    }

    /**
     * Runs {@code plugin_call_raw} and copies the answer out without decoding it; see {@link #exchange}.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes; not changed.
     * @return a new array holding exactly the bytes the plugin returned.
     * @throws PluginException when the plugin is FAILED after an earlier panic.
     */
    public byte[] exchangeRaw(final int messageId, final byte[] request) throws PluginException
    {
        exchangeRaw(messageId, request, true);
        return lastBody;
    }

    /**
     * Runs {@code plugin_call_raw} with the caller's segments: a success is copied straight into
     * {@code response}; an error's bytes are copied out undecoded, into a new array
     * ({@link #lastErrorBody()}), so the caller can build its exception elsewhere.
     *
     * @param messageId the binary message id.
     * @param request   the request bytes (heap or native segment).
     * @param response  where a successful response is written; it must be large enough.
     * @return the number of response bytes written, or {@code -1 - n} for an error answer of n bytes.
     * @throws PluginException          when the plugin is FAILED after an earlier panic.
     * @throws IllegalArgumentException when the response does not fit (the response is released all the same).
     */
    public long exchangeRaw(final int messageId, final MemorySegment request, final MemorySegment response)
        throws PluginException
    {
        Objects.requireNonNull(response, "response buffer must not be null");
        return exchangeRaw(messageId, Objects.requireNonNull(request, "request must not be null"), response, true);
    }

    /**
     * Returns the error code of the last exchange on this session (0 for success).
     *
     * @return the error code of the last exchange on this session (0 for success).
     */
    public int lastErrorCode()
    {
        return lastCode;
    }

    /**
     * Returns the bytes of the last error answer of {@link #exchangeRaw(int, MemorySegment, MemorySegment)}.
     *
     * @return the bytes of the last error answer of {@link #exchangeRaw(int, MemorySegment, MemorySegment)}.
     */
    public byte[] lastErrorBody()
    {
        return lastBody;
    }

    /**
     * Releases the native scratch of this session; the plugin stays open. Idempotent.
     */
    @Override
    public void close()
    {
        checkThread();
        if (!closed)
        {
            closed = true;
            tagScratch.close();
            requestScratch.close();
            arena.close();
        }
    }

    /**
     * Runs {@code plugin_call}; leaves the code in {@link #lastCode} and the body in {@link #lastBody}
     * (a new array when {@code fresh}, else the reusable {@link #response}) and returns its length.
     */
    private int exchangeJson(final MemorySegment tag, final byte[] request, final boolean fresh) throws PluginException
    {
        checkOwner();
        final int length = request.length;
        final MemorySegment requestSegment = requestScratch.ensure(length);
        MemorySegment.copy(request, 0, requestSegment, JAVA_BYTE, 0, length);
        plugin.enter();
        try
        {
            plugin.checkNotFailed();
            final MemorySegment buffer = symbols.pluginCall(returnAllocator, plugin.handle(), tag, requestSegment, length);
            final int size;
            try
            {
                lastCode = FfiBuffer.errorCode(buffer);
                size = copyOut(FfiBuffer.dataAddress(buffer), FfiBuffer.len(buffer), fresh);
            }
            finally
            {
                symbols.pluginFreeBuffer(buffer);
            }
            notePanic(false, size);
            return size;
        }
        finally
        {
            plugin.exit();
            requestScratch.trim();
        }
    }

    private int exchangeRaw(final int messageId, final byte[] request, final boolean fresh) throws PluginException
    {
        return (int)exchangeRaw(messageId, MemorySegment.ofArray(request), null, fresh);
    }

    /**
     * Runs {@code plugin_call_raw}. A success goes into {@code out} when given (returning its length), else
     * into {@link #lastBody}; an error always goes into {@link #lastBody} and returns {@code -1 - length}
     * when {@code out} is given.
     */
    private long exchangeRaw(final int messageId, final MemorySegment request, final MemorySegment out, final boolean fresh)
        throws PluginException
    {
        checkOwner();
        if (!symbols.hasBinaryTransport())
        {
            throw new UnsupportedOperationException(
                "plugin " + plugin.name() + " has no binary transport (it does not export plugin_call_raw and rb_response_free)");
        }
        final long length = request.byteSize();
        final MemorySegment nativeRequest;
        if (request.isNative())
        {
            nativeRequest = request;
        }
        else
        {
            nativeRequest = requestScratch.ensure(length);
            MemorySegment.copy(request, 0, nativeRequest, 0, length);
        }
        plugin.enter();
        try
        {
            plugin.checkNotFailed();
            final MemorySegment raw = symbols.pluginCallRaw(returnAllocator, plugin.handle(), messageId, nativeRequest, length);
            final long size;
            try
            {
                lastCode = RbResponse.errorCode(raw);
                final long len = RbResponse.len(raw);
                final long data = RbResponse.dataAddress(raw);
                if (lastCode != 0 || out == null)
                {
                    size = copyOut(data, len, fresh);
                }
                else if (len > out.byteSize())
                {
                    throw new IllegalArgumentException("response buffer of " + out.byteSize()
                        + " bytes is too small for the plugin's " + len + "-byte response to message " + messageId);
                }
                else
                {
                    MemorySegment.copy(NATIVE_MEMORY, data, out, 0, len);
                    size = len;
                }
            }
            finally
            {
                symbols.rbResponseFree(raw);
            }
            notePanic(true, (int)size);
            return lastCode != 0 && out != null ? -1 - size : size;
        }
        finally
        {
            plugin.exit();
            requestScratch.trim();
        }
    }

    /** A panic (code 11) is the one answer the owner looks into: the plugin must be FAILED before its next call. */
    private void notePanic(final boolean binary, final int size)
    {
        if (lastCode == ErrorKind.INTERNAL.code())
        {
            plugin.failure(lastCode, Responses.errorText(lastBody, size, binary));
        }
    }

    /** Copies the plugin's bytes into a new exact array ({@code fresh}) or the reusable one; sets {@link #lastBody}. */
    private int copyOut(final long data, final long length, final boolean fresh)
    {
        if (length > Integer.MAX_VALUE - 16)
        {
            throw new IllegalStateException("plugin response of " + length + " bytes is too large for a Java array");
        }
        final int size = (int)length;
        if (fresh)
        {
            lastBody = new byte[size];
        }
        else
        {
            if (size > response.length)
            {
                response = new byte[Math.max(size, Math.min(Integer.MAX_VALUE - 16, response.length * 2))];
            }
            else if (response.length > NativeScratch.RETAINED_BYTES && size <= INITIAL_RESPONSE_BYTES)
            {
                response = new byte[INITIAL_RESPONSE_BYTES];
            }
            lastBody = response;
        }
        if (size > 0)
        {
            MemorySegment.copy(NATIVE_MEMORY, JAVA_BYTE, data, lastBody, 0, size);
        }
        return size;
    }

    private MemorySegment encodeTag(final String typeTag)
    {
        checkOwner();
        // The owner thread usually repeats a few tags: re-encode only when the tag changes.
        if (typeTag == encodedTag && typeTag != null)
        {
            return encodedTagSegment;
        }
        TypeTag.check(typeTag);
        final byte[] utf8 = typeTag.getBytes(StandardCharsets.UTF_8);
        final MemorySegment segment = tagScratch.ensure(utf8.length + 1L);
        MemorySegment.copy(utf8, 0, segment, JAVA_BYTE, 0, utf8.length);
        segment.set(JAVA_BYTE, utf8.length, (byte)0);
        encodedTag = typeTag;
        encodedTagSegment = segment;
        return segment;
    }

    private void checkOwner()
    {
        checkThread();
        if (closed)
        {
            throw new IllegalStateException("this CallSession is closed");
        }
    }

    private void checkThread()
    {
        if (Thread.currentThread() != owner)
        {
            throw new IllegalStateException("this CallSession belongs to thread \"" + owner.getName()
                + "\" and was used from \"" + Thread.currentThread().getName() + "\"; open one session per thread");
        }
    }
}
