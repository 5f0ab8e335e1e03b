package dev.ringbridge.ffi;

import java.lang.System.Logger.Level;

/**
 * Log level of a plugin library, as the C ABI encodes it (0 Trace .. 5 Off).
 *
 * <p>The level is global to one loaded library: every instance of the same library shares it.
 */
public enum LogLevel
{
    /** Trace (0): everything. */
    TRACE(Level.TRACE),
    /** Debug (1). */
    DEBUG(Level.DEBUG),
    /** Info (2). */
    INFO(Level.INFO),
    /** Warn (3). */
    WARN(Level.WARNING),
    /** Error (4). */
    ERROR(Level.ERROR),
    /** Off (5): nothing is logged. */
    OFF(Level.OFF);

    private static final LogLevel[] BY_CODE = values();

    private final Level systemLevel;

    LogLevel(final Level systemLevel)
    {
        this.systemLevel = systemLevel;
    }

    /**
     * Returns the numeric code used by the C ABI.
     *
     * @return the numeric code used by the C ABI.
     */
    public int code()
    {
        return ordinal();
    }

    /**
     * Returns the matching {@link System.Logger} level.
     *
     * @return the matching {@link System.Logger} level.
     */
    public Level systemLevel()
    {
        return systemLevel;
    }

    /**
     * Maps a C ABI level code to its level; codes above 5 mean {@link #OFF}, as the plugin treats them.
     *
     * @param code the code.
     * @return the level.
     */
    public static LogLevel fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : OFF;
    }
}
