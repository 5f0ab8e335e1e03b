package dev.ringbridge.ffi;

/**
 * A plugin library or bundle that could not be loaded; the message names what was wrong.
 */
public final class PluginLoadException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception for a load that failed.
     *
     * @param message what failed, naming the file, symbol or field.
     */
    public PluginLoadException(final String message)
    {
        super(message);
    }

    /**
     * Creates an exception for a load that failed because of another.
     *
     * @param message what failed, naming the file, symbol or field.
     * @param cause   the underlying failure.
     */
    public PluginLoadException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
