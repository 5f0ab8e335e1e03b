package dev.ringbridge.ffi;

/**
 * Lifecycle state of a plugin instance, as reported by {@code plugin_get_state}.
 *
 * <p>Only {@link #ACTIVE} accepts calls. {@link #STOPPED} and {@link #FAILED} are terminal: a
 * plugin in either state must be loaded again to be used.
 */
public enum LifecycleState
{
    /** Loaded, not yet started. */
    INSTALLED(0),
    /** Starting: {@code plugin_init} is running. */
    STARTING(1),
    /** Running; the only state that accepts calls. */
    ACTIVE(2),
    /** Shutting down. */
    STOPPING(3),
    /** Shut down; terminal. */
    STOPPED(4),
    /** Failed; terminal. */
    FAILED(5);

    private static final LifecycleState[] BY_CODE = values();

    private final int code;

    LifecycleState(final int code)
    {
        this.code = code;
    }

    /**
     * Returns the numeric code used by the C ABI.
     *
     * @return the numeric code used by the C ABI.
     */
    public int code()
    {
        return code;
    }

    /**
     * Returns true when the plugin can never accept a call again.
     *
     * @return true when the plugin can never accept a call again.
     */
    public boolean isTerminal()
    {
        return this == STOPPED || this == FAILED;
    }

    /**
     * Maps a C ABI state code to its state.
     *
     * @param code the value returned by {@code plugin_get_state}.
     * @return the state.
     * @throws IllegalArgumentException for any code outside 0..5 (255 means the handle is invalid).
     */
    public static LifecycleState fromCode(final int code)
    {
        if (code < 0 || code >= BY_CODE.length)
        {
            throw new IllegalArgumentException("unknown plugin state code " + code + " (expected 0..5)");
        }
        return BY_CODE[code];
    }
}
