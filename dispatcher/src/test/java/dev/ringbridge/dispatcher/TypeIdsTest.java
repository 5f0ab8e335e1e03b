package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM-wide numbering of call types. The bound itself ({@link TypeIds#LIMIT}) is not reached here: the numbering
 * is global, and using it up would leave every later test of this JVM with {@code (other)} for new types.
 */
class TypeIdsTest
{
    @Test
    void shouldGiveOneNameOneNumberAndEachNumberItsName()
    {
        final String name = "type-ids-test-" + System.nanoTime();
        final int id = TypeIds.of(name);
        assertEquals(id, TypeIds.of(name), "the same name, the same number");
        assertEquals(name, TypeIds.nameOf(id));
        assertTrue(id >= 0 && id < TypeIds.OTHER, "a number below the one shared beyond the limit: " + id);

        final Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 5; i++)
        {
            final String other = name + "-" + i;
            final int otherId = TypeIds.of(other);
            assertEquals(other, TypeIds.nameOf(otherId));
            assertTrue(ids.add(otherId), "distinct names, distinct numbers");
        }
        assertTrue(!ids.contains(id));
        assertEquals(TypeIds.OTHER_NAME, TypeIds.nameOf(TypeIds.OTHER));
    }

    @Test
    void shouldNumberABinaryMessageAsItsName()
    {
        assertEquals("binary:7", TypeIds.messageName(7));
        for (final int messageId : new int[] {0, 1, 77, 255, 256, 4096, -1, Integer.MIN_VALUE})
        {
            final int first = TypeIds.ofMessage(messageId);
            assertEquals(first, TypeIds.ofMessage(messageId), "the cached number for " + messageId);
            assertEquals(TypeIds.of("binary:" + messageId), first, "message " + messageId + " is numbered by its name");
            assertEquals("binary:" + messageId, TypeIds.nameOf(first));
        }
        assertNotEquals(TypeIds.ofMessage(254), TypeIds.ofMessage(255));
        assertNotEquals(TypeIds.ofMessage(255), TypeIds.ofMessage(256));
    }
}
