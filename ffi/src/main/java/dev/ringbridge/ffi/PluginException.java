package dev.ringbridge.ffi;

/**
 * A call that the plugin answered with an error.
 *
 * <p>Carries the plugin's numeric error code and the plugin's own message: for an error envelope
 * that is its {@code error_message}, for any other error body (plain text, the binary transport's text, an envelope
 * whose {@code error_message} is not a string) the text as it came, never null. A message of
 * more than 64 KiB of UTF-8 keeps its first 64 KiB, followed by a note giving its full size; the
 * code is kept whatever the message's size.
 */
public final class PluginException extends Exception
{
    private static final long serialVersionUID = 1L;

    /** The plugin's numeric error code. */
    private final int errorCode;

    /**
     * Creates an exception for an error the plugin answered.
     *
     * @param errorCode the plugin's error code (1..13 for the codes the ABI defines).
     * @param message   the plugin's error message.
     */
    public PluginException(final int errorCode, final String message)
    {
        super(message);
        this.errorCode = errorCode;
    }

    /**
     * Returns the plugin's numeric error code.
     *
     * @return the plugin's numeric error code.
     */
    public int errorCode()
    {
        return errorCode;
    }

    /**
     * Returns the kind named by {@link #errorCode()}.
     *
     * @return the kind named by {@link #errorCode()}.
     */
    public ErrorKind kind()
    {
        return ErrorKind.fromCode(errorCode);
    }

    @Override
    public String toString()
    {
        return "PluginException[" + errorCode + " " + kind() + "]: " + getMessage();
    }
}
