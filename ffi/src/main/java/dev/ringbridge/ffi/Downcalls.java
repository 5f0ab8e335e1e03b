package dev.ringbridge.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One address-free downcall handle per plugin C function (plugin-abi.md section 1.1).
 *
 * <p>Each handle takes the function's address as its first argument, so the handles are
 * {@code static final} constants the JIT can inline, whichever library the address comes from.
 * The two functions that return a struct by value take a {@code SegmentAllocator} next, which
 * supplies the memory the struct is returned into.
 */
final class Downcalls
{
    private static final Linker LINKER = Linker.nativeLinker();

    /** {@code void* plugin_create(void)}. */
    static final MethodHandle PLUGIN_CREATE = LINKER.downcallHandle(FunctionDescriptor.of(ADDRESS));

    /** {@code void* plugin_init(void* plugin, const uint8_t* config, size_t len, LogCallback cb)}. */
    static final MethodHandle PLUGIN_INIT = LINKER.downcallHandle(
        FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));

    /** {@code FfiBuffer plugin_call(void* handle, const char* type_tag, const uint8_t* request, size_t len)}. */
    static final MethodHandle PLUGIN_CALL = LINKER.downcallHandle(
        FunctionDescriptor.of(FfiBuffer.LAYOUT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));

    /** {@code void plugin_free_buffer(FfiBuffer* buffer)}. */
    static final MethodHandle PLUGIN_FREE_BUFFER = LINKER.downcallHandle(FunctionDescriptor.ofVoid(ADDRESS));

    /** {@code bool plugin_shutdown(void* handle)}. */
    static final MethodHandle PLUGIN_SHUTDOWN = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));

    /** {@code uint8_t plugin_get_state(void* handle)}. */
    static final MethodHandle PLUGIN_GET_STATE = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_BYTE, ADDRESS));

    /** {@code void plugin_set_log_level(void* handle, uint8_t level)}. */
    static final MethodHandle PLUGIN_SET_LOG_LEVEL = LINKER.downcallHandle(FunctionDescriptor.ofVoid(ADDRESS, JAVA_BYTE));

    /** {@code uint64_t plugin_get_rejected_count(void* handle)}. */
    static final MethodHandle PLUGIN_GET_REJECTED_COUNT = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_LONG, ADDRESS));

    /** {@code RbResponse plugin_call_raw(void* handle, uint32_t message_id, const void* request, size_t len)}. */
    static final MethodHandle PLUGIN_CALL_RAW = LINKER.downcallHandle(
        FunctionDescriptor.of(RbResponse.LAYOUT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));

    /** {@code void rb_response_free(RbResponse* response)}. */
    static final MethodHandle RB_RESPONSE_FREE = LINKER.downcallHandle(FunctionDescriptor.ofVoid(ADDRESS));

    /** {@code void log_cb(uint8_t level, const char* target, const uint8_t* message, size_t message_len)}: four arguments. */
    static final FunctionDescriptor LOG_CALLBACK = FunctionDescriptor.ofVoid(JAVA_BYTE, ADDRESS, ADDRESS, JAVA_LONG);

    private Downcalls()
    {
    }

    static Linker linker()
    {
        return LINKER;
    }
}
