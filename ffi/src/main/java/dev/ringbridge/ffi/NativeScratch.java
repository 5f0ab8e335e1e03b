package dev.ringbridge.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A native buffer owned by one thread and reused for every call it makes, so that the call path
 * opens no arena and allocates no native memory in steady state.
 *
 * <p>It grows to the next power of two when a call needs more, and {@link #trim()} gives back
 * anything above {@link #RETAINED_BYTES} after the call, so one huge request does not pin its
 * memory for the life of the thread. Confined: only the creating thread may use it.
 */
final class NativeScratch implements AutoCloseable
{
    /** The most memory kept between calls. */
    static final long RETAINED_BYTES = 1L << 20;

    private final long initialBytes;
    /** Replaced on growth; the owning thread is the only reader and writer. */
    private Arena arena;
    private MemorySegment segment;

    NativeScratch(final long initialBytes)
    {
        this.initialBytes = initialBytes;
        this.arena = Arena.ofConfined();
        this.segment = arena.allocate(initialBytes, 16);
    }

    /**
     * Returns a segment of at least {@code bytes} bytes, valid until the next call of this method.
     *
     * @param bytes how many bytes the call needs.
     * @return a segment of at least {@code bytes} bytes, valid until the next call of this method.
     */
    MemorySegment ensure(final long bytes)
    {
        if (bytes > segment.byteSize())
        {
            replace(Math.max(bytes, Long.highestOneBit(bytes - 1) << 1));
        }
        return segment;
    }

    void trim()
    {
        if (segment.byteSize() > RETAINED_BYTES)
        {
            replace(initialBytes);
        }
    }

    private void replace(final long bytes)
    {
        final Arena next = Arena.ofConfined();
        final MemorySegment grown = next.allocate(bytes, 16);
        arena.close();
        arena = next;
        segment = grown;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
