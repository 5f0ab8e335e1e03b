package dev.ringbridge.ffi;

/**
 * The rule for type tags: the C ABI takes them as NUL-terminated UTF-8 strings, so a tag must be
 * present, not empty, free of NUL characters and valid UTF-16 (no lone surrogate, which UTF-8 cannot
 * carry). Checked on the caller's thread, before any native call.
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
        Utf8.checkNoLoneSurrogate(typeTag, "type tag");
        return typeTag;
    }
}
