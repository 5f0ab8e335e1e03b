package dev.ringbridge.ffi;

import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@NeedsSamplePlugin
class BinaryTransportTest
{
    private NativePlugin plugin;

    @BeforeEach
    void load() throws PluginLoadException
    {
        plugin = SamplePlugin.load();
    }

    @AfterEach
    void close()
    {
        plugin.close();
    }

    @Test
    void shouldAnswerBenchSmall() throws PluginException
    {
        final byte[] response = plugin.callRaw(1, BenchSmall.request("user:42", 1));
        assertEquals(BenchSmall.RESPONSE_SIZE, response.length);
        assertEquals(1, response[0]);
        assertEquals("value_for_user:42", BenchSmall.value(response));
        assertEquals(3600, BenchSmall.ttl(response));
        assertEquals(1, response[76]);
        assertEquals(0, plugin.callRaw(1, BenchSmall.request("miss", 0))[76]);
    }

    @Test
    void shouldStripTheNulFromBinaryErrors()
    {
        final PluginException unknown = assertThrows(PluginException.class, () -> plugin.callRaw(42, new byte[8]));
        assertEquals(ErrorKind.UNKNOWN_MESSAGE_TYPE, unknown.kind());
        assertEquals("Unknown message ID: 42", unknown.getMessage());

        final PluginException small = assertThrows(PluginException.class, () -> plugin.callRaw(1, new byte[10]));
        assertEquals(7, small.errorCode());
        assertFalse(small.getMessage().contains("\0"));
    }

    @Test
    void shouldCopyIntoCallerBuffersWithoutAllocating() throws PluginException
    {
        try (Arena arena = Arena.ofConfined(); CallSession session = plugin.openSession())
        {
            final MemorySegment request = arena.allocate(BenchSmall.REQUEST_SIZE);
            MemorySegment.copy(BenchSmall.request("seg", 1), 0, request, JAVA_BYTE, 0, BenchSmall.REQUEST_SIZE);
            final MemorySegment response = arena.allocate(BenchSmall.RESPONSE_SIZE);
            for (int i = 0; i < 20_000; i++)
            {
                assertEquals(BenchSmall.RESPONSE_SIZE, session.callRaw(1, request, response));
            }
            // Measured on this thread: the session copies straight into the caller's segment, allocating nothing.
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++)
            {
                session.callRaw(1, request, response);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 20_000, allocated + " bytes over 20,000 calls into caller buffers");
            assertEquals("value_for_seg", BenchSmall.value(response.toArray(JAVA_BYTE)));

            final MemorySegment tooSmall = arena.allocate(16);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> session.callRaw(1, request, tooSmall));
            assertTrue(e.getMessage().contains("too small"), e.getMessage());
        }
        assertEquals(0, SamplePlugin.longField(SamplePlugin.stats(plugin), "live_buffers"));
    }

    @Test
    void shouldFailThePluginOnABinaryPanic()
    {
        final PluginException panic = assertThrows(PluginException.class, () -> plugin.callRaw(99, new byte[0]));
        assertEquals(11, panic.errorCode());
        assertEquals(LifecycleState.FAILED, plugin.state());
        assertEquals(ErrorKind.INVALID_STATE, assertThrows(PluginException.class, () -> plugin.callRaw(1, BenchSmall.request("k", 0))).kind());
    }
}
