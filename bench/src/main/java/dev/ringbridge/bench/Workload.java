package dev.ringbridge.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What one benchmark call asks the {@code sync-demo} plugin to do. Every contender sends exactly
 * the same request for a workload, so they differ only in how the call reaches the plugin.
 */
public enum Workload
{
    /** {@code echo} with a 64-byte message: the native call is short, so hand-off costs dominate. */
    ECHO_64("echo-64B", "echo", echoJson(64)),

    /** {@code echo} with a 4 KiB message: copying and JSON work dominate. */
    ECHO_4K("echo-4KiB", "echo", echoJson(4096)),

    /** Binary message 1 ({@code bench.small}): a 76-byte request and an 80-byte response, no JSON. */
    BINARY_SMALL("binary-76B", null, null),

    /** {@code sleep} for 1 ms: holds the plugin so that queues fill up (backpressure). */
    SLEEP_1MS("sleep-1ms", "sleep", "{\"duration_ms\":1}"),

    /** {@code sleep} for 10 ms: a longer hold, for a machine too busy to queue a round of calls within 1 ms. */
    SLEEP_10MS("sleep-10ms", "sleep", "{\"duration_ms\":10}");

    /** The binary transport's message id for {@code bench.small}. */
    public static final int BINARY_MESSAGE_ID = 1;

    /** The binary message the plugin answers with nothing at once: a native call with no work in it. */
    public static final int NOOP_MESSAGE_ID = 0;
    /** Size of a {@code bench.small} request. */
    public static final int BINARY_REQUEST_BYTES = 76;
    /** Size of a {@code bench.small} response. */
    public static final int BINARY_RESPONSE_BYTES = 80;

    private final String label;
    private final String typeTag;
    private final String json;

    Workload(final String label, final String typeTag, final String json)
    {
        this.label = label;
        this.typeTag = typeTag;
        this.json = json;
    }

    /**
     * @return a short name used in tables, file names and plots.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return true for the binary transport, false for a JSON handler.
     */
    public boolean binary()
    {
        return typeTag == null;
    }

    /**
     * @return the JSON handler's type tag.
     * @throws IllegalStateException for the binary workload.
     */
    public String typeTag()
    {
        requireJson();
        return typeTag;
    }

    /**
     * @return the JSON request; the same interned instance every time.
     * @throws IllegalStateException for the binary workload.
     */
    public String json()
    {
        requireJson();
        return json;
    }

    /**
     * @return a fresh copy of the binary request: version 1, key {@code bench_key}, flags 1.
     */
    public static byte[] binaryRequest()
    {
        final byte[] key = "bench_key".getBytes(StandardCharsets.UTF_8);
        final ByteBuffer buffer = ByteBuffer.allocate(BINARY_REQUEST_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(0, (byte)1);
        buffer.put(4, key);
        buffer.putInt(68, key.length);
        buffer.putInt(72, 1);
        return buffer.array();
    }

    private void requireJson()
    {
        if (binary())
        {
            throw new IllegalStateException(label + " is a binary workload and has no JSON request");
        }
    }

    /** A message of exactly {@code bytes} ASCII characters, so its UTF-8 size is {@code bytes}. */
    private static String echoJson(final int bytes)
    {
        final String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        final StringBuilder message = new StringBuilder(bytes);
        for (int i = 0; i < bytes; i++)
        {
            message.append(alphabet.charAt(i % alphabet.length()));
        }
        return "{\"message\":\"" + message + "\"}";
    }
}
