package dev.ringbridge.ffi;

import java.lang.System.Logger.Level;

/**
 * Log level of a plugin library, as the C ABI encodes it (0 Trace .. 5 Off).
 *
 * <p>The level is global to one loaded library: every instance of the same library shares it.
 */
public enum LogLevel
{
    TRACE(Level.TRACE),
    DEBUG(Level.DEBUG),
    INFO(Level.INFO),
    WARN(Level.WARNING),
    ERROR(Level.ERROR),
    OFF(Level.OFF);

    private static final LogLevel[] BY_CODE = values();

    private final Level systemLevel;

    LogLevel(final Level systemLevel)
    {
        this.systemLevel = systemLevel;
    }

    /**
     * @return the numeric code used by the C ABI.
     */
    public int code()
    {
        return ordinal();
    }

    /**
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
