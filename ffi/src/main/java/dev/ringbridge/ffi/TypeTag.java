package dev.ringbridge.ffi;

/**
 * The rule for type tags: the C ABI takes them as NUL-terminated strings, so a tag must be present,
 * not empty, and free of NUL characters. Checked on the caller's thread, before any native call.
 */
public final class TypeTag
{
    private TypeTag()
    {
    }

    /**
     * @param typeTag the tag to check.
     * @return the tag.
     * @throws IllegalArgumentException naming what is wrong with it.
     */
    public static String check(final String typeTag)
    {
        if (typeTag == null || typeTag.isEmpty())
        {
            throw new IllegalArgumentException("type tag must not be " + (typeTag == null ? "null" : "empty"));
        }
        if (typeTag.indexOf('\0') >= 0)
        {
            throw new IllegalArgumentException("type tag must not contain a NUL character: \"" + typeTag.replace("\0", "\\0") + "\"");
        }
        return typeTag;
    }
}
