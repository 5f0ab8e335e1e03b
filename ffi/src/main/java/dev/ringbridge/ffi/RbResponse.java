package dev.ringbridge.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Layout of the C struct {@code RbResponse} that {@code plugin_call_raw} returns by value
 * (plugin-abi.md section 2.2): {@code { uint32_t error_code; uint32_t len; uint32_t capacity; void* data; }},
 * 24 bytes, 8-aligned, data at offset 16. Released by passing a pointer to this very struct to
 * {@code rb_response_free}. Error texts are NUL-terminated and the NUL is counted in {@code len}.
 */
final class RbResponse
{
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("error_code"),
        JAVA_INT.withName("len"),
        JAVA_INT.withName("capacity"),
        MemoryLayout.paddingLayout(4),
        ADDRESS.withName("data"))
        .withName("RbResponse");

    // Offsets come from the layout, so they cannot drift from it; FfiStructLayoutTest checks the layout against
    // the ABI's sizes and offsets (plugin-abi.md section 2).

    static final long ERROR_CODE_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("error_code"));
    static final long LEN_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("len"));
    static final long DATA_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("data"));

    private RbResponse()
    {
    }

    static int errorCode(final MemorySegment struct)
    {
        return struct.get(JAVA_INT, ERROR_CODE_OFFSET);
    }

    /** The length is a C {@code uint32_t}: read it unsigned. */
    static long len(final MemorySegment struct)
    {
        return Integer.toUnsignedLong(struct.get(JAVA_INT, LEN_OFFSET));
    }

    /** The data pointer as a raw address (64-bit Linux): no segment object per call. */
    static long dataAddress(final MemorySegment struct)
    {
        return struct.get(JAVA_LONG, DATA_OFFSET);
    }
}
