package dev.ringbridge.dispatcher;

import java.lang.foreign.MemorySegment;

/**
 * One preallocated slot of the ring. A producer fills it between claim and publish; the owner
 * thread reads it, then {@link #clear() clears} it so that a finished call's request and future
 * are not kept alive for a whole lap of the ring.
 *
 * <p>Fields are plain: the ring's publish (a release store of the sequence) and the owner's
 * {@code waitFor} (an acquire load) order the producer's writes before the owner's reads.
 */
final class CallEvent
{
    CallKind kind;
    String typeTag;
    Object request;
    int messageId;
    MemorySegment response;
    Completion completion;
    long submitNanos;

    void clear()
    {
        kind = null;
        typeTag = null;
        request = null;
        response = null;
        completion = null;
    }
}
