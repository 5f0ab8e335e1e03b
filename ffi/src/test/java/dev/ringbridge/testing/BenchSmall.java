package dev.ringbridge.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds and reads the sample plugin's binary message 1 ({@code bench.small}, plugin-abi.md section 7.2).
 */
public final class BenchSmall
{
    public static final int REQUEST_SIZE = 76;
    public static final int RESPONSE_SIZE = 80;

    private BenchSmall()
    {
    }

    public static byte[] request(final String key, final int flags)
    {
        final byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer buffer = ByteBuffer.allocate(REQUEST_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(0, (byte)1);
        buffer.put(4, utf8);
        buffer.putInt(68, utf8.length);
        buffer.putInt(72, flags);
        return buffer.array();
    }

    public static String value(final byte[] response)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(response).order(ByteOrder.LITTLE_ENDIAN);
        return new String(response, 4, buffer.getInt(68), StandardCharsets.UTF_8);
    }

    public static int ttl(final byte[] response)
    {
        return ByteBuffer.wrap(response).order(ByteOrder.LITTLE_ENDIAN).getInt(72);
    }
}
