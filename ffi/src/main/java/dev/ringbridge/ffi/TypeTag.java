package dev.ringbridge.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

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
     * Returns the tag.
     *
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

    /**
     * Encodes a tag once for all calls that use it: NUL-terminated UTF-8 in native memory that lives as
     * long as the returned segment is reachable, readable from any thread.
     *
     * @param typeTag the tag; checked by {@link #check(String)}.
     * @return the tag as a C string.
     * @throws IllegalArgumentException naming what is wrong with the tag.
     */
    public static MemorySegment toNative(final String typeTag)
    {
        final byte[] utf8 = check(typeTag).getBytes(StandardCharsets.UTF_8);
        final MemorySegment segment = Arena.ofAuto().allocate(utf8.length + 1L);
        MemorySegment.copy(utf8, 0, segment, JAVA_BYTE, 0, utf8.length);
        segment.set(JAVA_BYTE, utf8.length, (byte)0);
        return segment;
    }
}
