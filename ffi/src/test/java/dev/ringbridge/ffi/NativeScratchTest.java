package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The owner's reusable native buffer: grows to a power of two, shrinks back when it grew past 1 MiB. */
class NativeScratchTest
{
    @Test
    void shouldGrowToThePowerOfTwoAtOrAboveTheRequestAndFreeTheOldBuffer()
    {
        try (NativeScratch scratch = new NativeScratch(64))
        {
            final MemorySegment first = scratch.ensure(64);
            assertEquals(64, first.byteSize());
            assertSame(first, scratch.ensure(1), "enough room: the same buffer");
            final MemorySegment grown = scratch.ensure(65);
            assertEquals(128, grown.byteSize());
            assertFalse(first.scope().isAlive(), "the old buffer is freed");
            assertEquals(256, scratch.ensure(256).byteSize(), "a power of two is taken as it is");
            assertEquals(1024, scratch.ensure(1000).byteSize());
            assertEquals(0, scratch.ensure(1000).address() % 16, "aligned for any primitive");
        }
    }

    @Test
    void shouldShrinkBackOnlyAboveTheRetainedSize()
    {
        final NativeScratch scratch = new NativeScratch(64);
        scratch.ensure(NativeScratch.RETAINED_BYTES);
        scratch.trim();
        assertEquals(NativeScratch.RETAINED_BYTES, scratch.ensure(1).byteSize(), "1 MiB is kept");
        final MemorySegment large = scratch.ensure(NativeScratch.RETAINED_BYTES + 1);
        assertEquals(2 * NativeScratch.RETAINED_BYTES, large.byteSize());
        scratch.trim();
        assertEquals(64, scratch.ensure(1).byteSize(), "back to its first size");
        assertFalse(large.scope().isAlive());
        final MemorySegment last = scratch.ensure(1);
        scratch.close();
        assertThrows(IllegalStateException.class, () -> last.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), "closed: freed");
    }
}
