package dev.ringbridge.ffi;

/**
 * The kind of a plugin error, named after the numeric codes 1..13 of the plugin C ABI.
 */
public enum ErrorKind
{
    /** A code outside 1..13, or 0 for an error raised by the host itself. */
    UNKNOWN(0),
    INVALID_STATE(1),
    INITIALIZATION_FAILED(2),
    SHUTDOWN_FAILED(3),
    CONFIG_ERROR(4),
    SERIALIZATION_ERROR(5),
    UNKNOWN_MESSAGE_TYPE(6),
    HANDLER_ERROR(7),
    RUNTIME_ERROR(8),
    CANCELLED(9),
    TIMEOUT(10),
    INTERNAL(11),
    FFI_ERROR(12),
    TOO_MANY_REQUESTS(13);

    private static final ErrorKind[] BY_CODE = values();

    private final int code;

    ErrorKind(final int code)
    {
        this.code = code;
    }

    /**
     * @return the numeric code of this kind (0 for {@link #UNKNOWN}).
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code an error code from the plugin.
     * @return its kind, {@link #UNKNOWN} when the code is not one of 1..13.
     */
    public static ErrorKind fromCode(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
