package dev.ringbridge.dispatcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.Responses;
import dev.ringbridge.ffi.TypeTag;
import dev.ringbridge.ffi.Utf8;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a call is: which plugin handler it reaches, how its request is encoded and how the plugin's answer
 * is decoded. One immutable descriptor per handler, made once and shared by every thread, in the manner
 * of the Disruptor's {@code EventTranslatorOneArg}: the dispatcher's {@code submit}, {@code trySubmit} and
 * {@code call} take a descriptor and a request and work the same for every kind.
 *
 * <pre>{@code
 * static final CallType<String, String> ECHO = CallType.json("echo");
 * static final CallType<Echo, Echoed> TYPED_ECHO = CallType.typed("echo", Echo.class, Echoed.class);
 * static final CallType<byte[], byte[]> SMALL = CallType.binary(1);
 * }</pre>
 *
 * <p><b>Where the work runs.</b> Encoding (and its validation) runs on the thread that submits; decoding
 * runs where the result is read: on the caller's thread for {@code call}, {@code get} and {@code join},
 * or where a future's dependent stages run. The dispatcher's owner thread, the one serial resource,
 * only copies bytes in and out of the plugin.
 *
 * @param <Q> the request type.
 * @param <R> the response type.
 */
public final class CallType<Q, R>
{
    private final String name;
    private final MemorySegment typeTag;
    private final int messageId;
    private final Encoder<Q> encoder;
    private final Decoder<R> decoder;
    /** This type's number in the metrics ({@link TypeIds}). */
    private final int typeId;

    private CallType(final String name, final MemorySegment typeTag, final int messageId,
        final Encoder<Q> encoder, final Decoder<R> decoder)
    {
        this.name = name;
        this.typeTag = typeTag;
        this.messageId = messageId;
        this.encoder = encoder;
        this.decoder = decoder;
        this.typeId = typeTag == null ? TypeIds.ofMessage(messageId) : TypeIds.of(typeTag.getString(0, StandardCharsets.UTF_8));
    }

    /**
     * A JSON handler called with JSON text; the response is the payload's JSON text as the plugin wrote it.
     *
     * @param typeTag the handler's type tag: not empty, no NUL.
     * @return the descriptor.
     * @throws IllegalArgumentException naming what is wrong with the tag.
     */
    public static CallType<String, String> json(final String typeTag)
    {
        return new CallType<>("'" + typeTag + "'", TypeTag.toNative(typeTag), 0,
            request -> Utf8.encode(Objects.requireNonNull(request, "request must not be null"), "request"),
            (code, body) -> Responses.jsonText(code, body, body.length));
    }

    /**
     * A JSON handler called with UTF-8 bytes; the response is the payload's JSON text as UTF-8 bytes. The
     * request array is checked for well-formed UTF-8 and passed on without a copy: do not change it until
     * the call is done.
     *
     * @param typeTag the handler's type tag.
     * @return the descriptor.
     */
    public static CallType<byte[], byte[]> jsonBytes(final String typeTag)
    {
        return new CallType<>("'" + typeTag + "'", TypeTag.toNative(typeTag), 0,
            request ->
            {
                Utf8.check(Objects.requireNonNull(request, "request must not be null"), "request");
                return request;
            },
            (code, body) -> Responses.jsonBytes(code, body, body.length));
    }

    /**
     * A binary-transport handler. The request array is passed on without a copy (do not change it until the
     * call is done); the response array is the plugin's bytes, copied once out of native memory.
     *
     * @param messageId the binary message id.
     * @return the descriptor.
     */
    public static CallType<byte[], byte[]> binary(final int messageId)
    {
        return new CallType<>("binary message " + messageId, null, messageId,
            request -> Objects.requireNonNull(request, "request must not be null"),
            (code, body) -> Responses.binary(code, body, body.length));
    }

    /**
     * A JSON handler called with Java objects, mapped by Jackson with snake_case property names (as serde
     * writes them) and unknown response properties ignored.
     *
     * <p><b>Limits.</b> Responses are read within jackson-core's default {@code StreamReadConstraints}: strings of
     * at most 20,000,000 chars, numbers of at most 1,000 digits, nesting at most 1,000 deep. A response beyond
     * one fails the call with a {@link PluginException} of kind {@link ErrorKind#UNKNOWN} (raised by the host)
     * that names the limit. Pass a mapper built on a {@code JsonFactory} with other constraints to change them.
     *
     * @param typeTag      the handler's type tag.
     * @param requestType  the request class (records, POJOs and maps are written as JSON objects).
     * @param responseType the response class.
     * @param <Q>          the request type.
     * @param <R>          the response type.
     * @return the descriptor.
     */
    public static <Q, R> CallType<Q, R> typed(final String typeTag, final Class<Q> requestType, final Class<R> responseType)
    {
        return typed(typeTag, requestType, responseType, DefaultMapper.INSTANCE);
    }

    /**
     * A JSON handler called with Java objects, mapped by the given Jackson mapper. The mapper's
     * {@code StreamReadConstraints} bound what a response may hold.
     *
     * @param typeTag      the handler's type tag.
     * @param requestType  the request class.
     * @param responseType the response class.
     * @param mapper       the mapper; it must not be reconfigured after this.
     * @param <Q>          the request type.
     * @param <R>          the response type.
     * @return the descriptor.
     */
    public static <Q, R> CallType<Q, R> typed(
        final String typeTag, final Class<Q> requestType, final Class<R> responseType, final ObjectMapper mapper)
    {
        Objects.requireNonNull(requestType, "requestType must not be null");
        Objects.requireNonNull(responseType, "responseType must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        final String name = "'" + typeTag + "'";
        return new CallType<>(name, TypeTag.toNative(typeTag), 0,
            request -> writeJson(mapper, name, request),
            (code, body) -> readJson(mapper, name, code, body, responseType));
    }

    /**
     * Returns the handler's type tag, or null for a binary handler.
     *
     * @return the handler's type tag, or null for a binary handler.
     */
    public String typeTag()
    {
        return typeTag == null ? null : typeTag.getString(0, StandardCharsets.UTF_8);
    }

    /**
     * Returns the binary message id, or 0 for a JSON handler.
     *
     * @return the binary message id, or 0 for a JSON handler.
     */
    public int messageId()
    {
        return messageId;
    }

    /**
     * Returns true for a binary-transport handler.
     *
     * @return true for a binary-transport handler.
     */
    public boolean binaryTransport()
    {
        return typeTag == null;
    }

    @Override
    public String toString()
    {
        return "CallType[" + name + "]";
    }

    /** Caller's thread: the request as the bytes the plugin gets. */
    byte[] encode(final Q request)
    {
        return encoder.encode(request);
    }

    /** Any thread: the plugin's answer as a result, or its error as a {@link PluginException}. */
    R decode(final int code, final byte[] body) throws PluginException
    {
        return decoder.decode(code, body);
    }

    /** This type's number in the metrics: its tag, or {@code binary:<id>} for a binary handler. */
    int typeId()
    {
        return typeId;
    }

    /** The NUL-terminated tag in native memory, readable by the owner thread; null for binary. */
    MemorySegment nativeTypeTag()
    {
        return typeTag;
    }

    private static byte[] writeJson(final ObjectMapper mapper, final String name, final Object request)
    {
        try
        {
            return mapper.writeValueAsBytes(request);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalArgumentException("request for " + name + " of type "
                + (request == null ? "null" : request.getClass().getName()) + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <R> R readJson(final ObjectMapper mapper, final String name, final int code, final byte[] body,
        final Class<R> type) throws PluginException
    {
        final long span = Responses.payloadSpan(code, body, body.length);
        final int start = (int)(span >>> 32);
        try
        {
            return mapper.readValue(body, start, (int)span - start, type);
        }
        catch (final IOException e)
        {
            final StreamConstraintsException limit = limitOf(e);
            if (limit != null)
            {
                // A limit of the mapper's StreamReadConstraints: say which; never quote the (huge) response.
                throw new PluginException(ErrorKind.UNKNOWN.code(), "response of " + name + " (" + ((int)span - start)
                    + " bytes) exceeds a limit of the mapper: " + limit.getOriginalMessage());
            }
            final int shown = Math.min((int)span - start, 200);
            throw new IllegalStateException("response of " + name + " does not map to " + type.getName() + ": "
                + e.getMessage() + "; response began " + new String(body, start, shown, StandardCharsets.UTF_8), e);
        }
    }

    /** Databind wraps the parser's constraint error in a mapping error with a path. */
    private static StreamConstraintsException limitOf(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause instanceof StreamConstraintsException limit)
            {
                return limit;
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface Encoder<Q>
    {
        byte[] encode(Q request);
    }

    @FunctionalInterface
    private interface Decoder<R>
    {
        R decode(int code, byte[] body) throws PluginException;
    }

    /** The mapper of {@link #typed(String, Class, Class)}: built on first use, shared, never reconfigured. */
    private static final class DefaultMapper
    {
        static final ObjectMapper INSTANCE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
