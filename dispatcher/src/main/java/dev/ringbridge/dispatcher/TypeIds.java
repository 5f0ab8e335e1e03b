package dev.ringbridge.dispatcher;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Small numbers for call types, so the owner thread can count a call under its type with an array index instead
 * of a map lookup. One numbering per JVM, made on callers' threads: a {@link CallType} takes its number when it is
 * made, a binary call into the caller's own memory when it is submitted. Numbers are bounded by {@link #LIMIT}: a
 * program that makes call types without end (tags built from data) shares the last number, {@link #OTHER}, beyond it.
 */
final class TypeIds
{
    /** The most numbers handed out; the last of them stands for every type beyond. */
    static final int LIMIT = 1024;
    /** The number of every type beyond the limit, and its name. */
    static final int OTHER = LIMIT - 1;
    static final String OTHER_NAME = "(other)";
    /** Binary message ids below this are numbered, after their first call, without a map lookup or a string. */
    private static final int SMALL_MESSAGES = 256;

    private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
    private static final AtomicReferenceArray<String> NAMES = new AtomicReferenceArray<>(LIMIT);
    private static final int[] SMALL_MESSAGE_IDS = new int[SMALL_MESSAGES];
    private static final AtomicInteger NEXT = new AtomicInteger();

    static
    {
        NAMES.set(OTHER, OTHER_NAME);
    }

    private TypeIds()
    {
    }

    /** The number of a JSON type tag or a binary message's name. Any thread. */
    static int of(final String name)
    {
        final Integer known = IDS.get(name);
        if (known != null)
        {
            return known;
        }
        if (NEXT.get() >= OTHER)
        {
            return OTHER;
        }
        return IDS.computeIfAbsent(name, TypeIds::next);
    }

    /** The number of a binary message id, as {@link #of(String)} of its {@link #messageName name}. */
    static int ofMessage(final int messageId)
    {
        if (messageId < 0 || messageId >= SMALL_MESSAGES)
        {
            return of(messageName(messageId));
        }
        // Holds the id plus one, 0 until first use. A racy cache: every thread that fills it writes the same value.
        final int cached = SMALL_MESSAGE_IDS[messageId];
        if (cached != 0)
        {
            return cached - 1;
        }
        final int id = of(messageName(messageId));
        SMALL_MESSAGE_IDS[messageId] = id + 1;
        return id;
    }

    /** How a binary message shows in metrics: {@code binary:7}. */
    static String messageName(final int messageId)
    {
        return "binary:" + messageId;
    }

    /** The name of a number handed out by this class. */
    static String nameOf(final int id)
    {
        return NAMES.get(id);
    }

    /** Inside computeIfAbsent, which runs once per name under the map's bin lock. */
    private static Integer next(final String name)
    {
        final int id = NEXT.getAndIncrement();
        if (id >= OTHER)
        {
            NEXT.set(OTHER);
            return OTHER;
        }
        // Published before the id is: a reader that holds the id finds its name.
        NAMES.set(id, name);
        return id;
    }
}
