package dev.ringbridge.ffi;

/**
 * The kind of a plugin error, named after the numeric codes 1..13 of the plugin C ABI.
 */
public enum ErrorKind
{
    /** A code outside 1..13, or 0 for an error raised by the host itself. */
    UNKNOWN(0),
    /** The plugin is not in a state that accepts the operation (code 1). */
    INVALID_STATE(1),
    /** {@code plugin_init} failed (code 2). */
    INITIALIZATION_FAILED(2),
    /** The plugin failed to shut down cleanly (code 3). */
    SHUTDOWN_FAILED(3),
    /** The configuration was refused, or the type tag was null or not UTF-8 (code 4). */
    CONFIG_ERROR(4),
    /** A request or response could not be encoded or decoded (code 5). */
    SERIALIZATION_ERROR(5),
    /** No handler is registered for the type tag or message id (code 6). */
    UNKNOWN_MESSAGE_TYPE(6),
    /** The handler returned an error (code 7). */
    HANDLER_ERROR(7),
    /** The plugin's runtime failed (code 8). */
    RUNTIME_ERROR(8),
    /** The operation was cancelled (code 9). */
    CANCELLED(9),
    /** The operation timed out (code 10). */
    TIMEOUT(10),
    /** An internal error in the plugin, such as a caught panic (code 11). */
    INTERNAL(11),
    /** The call broke the C ABI's contract (code 12). */
    FFI_ERROR(12),
    /** The plugin's {@code max_concurrent_ops} limit refused the call (code 13). */
    TOO_MANY_REQUESTS(13);

    private static final ErrorKind[] BY_CODE = values();

    private final int code;

    ErrorKind(final int code)
    {
        this.code = code;
    }

    /**
     * Returns the numeric code of this kind (0 for {@link #UNKNOWN}).
     *
     * @return the numeric code of this kind (0 for {@link #UNKNOWN}).
     */
    public int code()
    {
        return code;
    }

    /**
     * Returns its kind, {@link #UNKNOWN} when the code is not one of 1..13.
     *
     * @param code an error code from the plugin.
     * @return its kind, {@link #UNKNOWN} when the code is not one of 1..13.
     */
    public static ErrorKind fromCode(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
