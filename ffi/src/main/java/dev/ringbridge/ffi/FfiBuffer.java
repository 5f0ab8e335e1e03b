package dev.ringbridge.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Layout of the C struct {@code FfiBuffer} that {@code plugin_call} returns by value
 * (plugin-abi.md section 2.1): {@code { uint8_t* data; size_t len; size_t capacity; uint32_t error_code; }},
 * 32 bytes, 8-aligned. The bytes it points at belong to the plugin and are released by passing a
 * pointer to this very struct to {@code plugin_free_buffer}.
 */
final class FfiBuffer
{
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ADDRESS.withName("data"),
        JAVA_LONG.withName("len"),
        JAVA_LONG.withName("capacity"),
        JAVA_INT.withName("error_code"),
        MemoryLayout.paddingLayout(4))
        .withName("FfiBuffer");

    // Offsets come from the layout, so they cannot drift from it; FfiStructLayoutTest checks the layout against
    // the ABI's sizes and offsets (plugin-abi.md section 2).

    static final long DATA_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("data"));
    static final long LEN_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("len"));
    static final long ERROR_CODE_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("error_code"));

    private FfiBuffer()
    {
    }

    /** The data pointer as a raw address (64-bit Linux): no segment object per call. */
    static long dataAddress(final MemorySegment struct)
    {
        return struct.get(JAVA_LONG, DATA_OFFSET);
    }

    static long len(final MemorySegment struct)
    {
        return struct.get(JAVA_LONG, LEN_OFFSET);
    }

    static int errorCode(final MemorySegment struct)
    {
        return struct.get(JAVA_INT, ERROR_CODE_OFFSET);
    }
}
