package dev.ringbridge.dispatcher;

import java.lang.foreign.MemorySegment;

/**
 * One preallocated slot of the ring. A producer fills it between claim and publish; the owner thread
 * copies it into locals and {@link #clear() clears} it, so that a finished call's request and completion
 * are not kept alive for a whole lap of the ring.
 *
 * <p>Fields are plain: the ring's publish (a release store of the slot's availability) and the owner's
 * {@code waitFor} (an acquire load) order the producer's writes before the owner's reads.
 */
final class CallEvent
{
    /** A JSON call: {@link #typeTag} and a UTF-8 {@code byte[]} request. */
    static final byte JSON = 1;
    /** A binary call: {@link #messageId} and a {@code byte[]} request. */
    static final byte BINARY = 2;
    /** A binary call with the caller's own segments: {@link #request} and {@link #response}. */
    static final byte BINARY_SEGMENTS = 3;
    /** Fills the ring's slack at start: the owner skips it. */
    static final byte NOOP = 4;
    /** The last event: the owner thread releases the plugin and stops. */
    static final byte STOP = 5;
    /** {@link #deadlineNanos} of a call without a deadline on a dispatcher without metrics. */
    static final long NO_DEADLINE = Long.MIN_VALUE;

    byte kind;
    MemorySegment typeTag;
    int messageId;
    /** The call's type in the metrics ({@link TypeIds}). */
    int typeId;
    Object request;
    MemorySegment response;
    Completion completion;
    long submitNanos;
    /**
     * The {@link System#nanoTime()} after which the owner no longer starts the call. With metrics on every call has
     * one (far off for a call without a deadline), so the owner's check is one comparison with the clock reading it
     * makes anyway; with metrics off a call without a deadline has {@link #NO_DEADLINE} and costs no clock reading.
     */
    long deadlineNanos;
    /** The deadline as time after submit, for the message of a shed call. */
    long budgetNanos;

    void clear()
    {
        typeTag = null;
        request = null;
        response = null;
        completion = null;
    }
}
