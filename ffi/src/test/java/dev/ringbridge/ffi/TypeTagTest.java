package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Type tags cross the boundary as NUL-terminated UTF-8: what can and cannot be one. */
class TypeTagTest
{
    @Test
    void shouldRefuseTagsThatCannotBeACString()
    {
        assertEquals("type tag must not be null", assertThrows(IllegalArgumentException.class, () -> TypeTag.check(null)).getMessage());
        assertEquals("type tag must not be empty", assertThrows(IllegalArgumentException.class, () -> TypeTag.check("")).getMessage());
        assertEquals("type tag must not contain a NUL character: \"a\\0b\"",
            assertThrows(IllegalArgumentException.class, () -> TypeTag.check("a\0b")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TypeTag.check("\0"));
        final String tag = "echo";
        assertSame(tag, TypeTag.check(tag));
    }

    @Test
    void shouldWriteTheTagAsNulTerminatedUtf8()
    {
        final MemorySegment segment = TypeTag.toNative("\u00e9cho");
        final byte[] utf8 = "\u00e9cho".getBytes(StandardCharsets.UTF_8);
        assertEquals(utf8.length + 1, segment.byteSize());
        assertArrayEquals(utf8, segment.asSlice(0, utf8.length).toArray(JAVA_BYTE));
        assertEquals(0, segment.get(JAVA_BYTE, utf8.length));
        assertThrows(IllegalArgumentException.class, () -> TypeTag.toNative(""));
    }
}
