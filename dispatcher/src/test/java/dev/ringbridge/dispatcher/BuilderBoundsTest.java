package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the builders accept, at both ends of each range, and what the settings do to the owner thread (against the fake). */
class BuilderBoundsTest
{
    private static final CallType<String, String> FAKE = CallType.json("fake");

    private static String refused(final Runnable setting)
    {
        return assertThrows(IllegalArgumentException.class, setting::run).getMessage();
    }

    @Test
    void shouldAcceptCapacitiesFromOneToTwoToTheTwentyNinth()
    {
        final DispatcherBuilder builder = new DispatcherBuilder(new FakePlugin());
        assertEquals("capacity must be between 1 and 2^29, was 0", refused(() -> builder.capacity(0)));
        assertEquals("capacity must be between 1 and 2^29, was 536870913", refused(() -> builder.capacity((1 << 29) + 1)));
        assertSame(builder, builder.capacity(1 << 29));
        assertEquals("high lane capacity must be between 1 and 2^29, was 0", refused(() -> builder.highLane(0, 1)));
        assertEquals("high lane capacity must be between 1 and 2^29, was 536870913", refused(() -> builder.highLane((1 << 29) + 1, 1)));
        assertEquals("maxHighInARow must be at least 1, was 0", refused(() -> builder.highLane(1, 0)));
        assertSame(builder, builder.highLane(1 << 29, 1));
        assertEquals("typeLimit must be between 0 and 1000, not -1", refused(() -> builder.typeLimit(-1)));
        assertEquals("typeLimit must be between 0 and 1000, not 1001", refused(() -> builder.typeLimit(1001)));
        assertSame(builder, builder.typeLimit(0).typeLimit(1000));
        assertEquals("callerSpin must not be negative, was PT-0.000000001S", refused(() -> builder.callerSpin(Duration.ofNanos(-1))));
        assertSame(builder, builder.callerSpin(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.defaultTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> builder.waitMode(null));
        assertThrows(NullPointerException.class, () -> builder.threadName(null));
        assertThrows(NullPointerException.class, () -> builder.completionExecutor(null));
        assertThrows(NullPointerException.class, () -> builder.onPluginFailed(null));
    }

    @Test
    void shouldAcceptPoolSizesFromOneTo1024()
    {
        final PoolBuilder pool = PluginPool.builder(() -> { throw new AssertionError("never loaded"); });
        assertEquals("pool size must be between 1 and 1024, was 0", refused(() -> pool.size(0)));
        assertEquals("pool size must be between 1 and 1024, was 1025", refused(() -> pool.size(1025)));
        assertSame(pool, pool.size(1).size(1024));
        assertEquals("routing must not be null", assertThrows(NullPointerException.class, () -> pool.routing(null)).getMessage());
        assertEquals("restart policy must not be null", assertThrows(NullPointerException.class, () -> pool.restartPolicy(null)).getMessage());
        assertEquals("restart listener must not be null", assertThrows(NullPointerException.class, () -> pool.onRestart(null)).getMessage());
        assertEquals("instance settings must not be null", assertThrows(NullPointerException.class, () -> pool.instances(null)).getMessage());
        assertEquals("name must not be null", assertThrows(NullPointerException.class, () -> pool.name(null)).getMessage());
    }

    @Test
    void shouldHoldExactlyOneCallWithACapacityOfOne() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(fake).capacity(1).build())
        {
            final CallFuture<String> held = dispatcher.submit(FAKE, "\"hold\"");
            fake.awaitHolding();
            assertTrue(dispatcher.trySubmit(FAKE, "1").isEmpty(), "no room for a second call");
            fake.release();
            assertEquals("\"hold\"", held.get());
            assertEquals("2", dispatcher.call(FAKE, "2"));
        }
    }

    @Test
    void shouldNameTheOwnerThreadAndMakeItDaemonAsAsked() throws Exception
    {
        final FakePlugin named = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(named).threadName("the-owner").daemon(true).build())
        {
            dispatcher.call(FAKE, "1");
        }
        final Thread owner = named.callers.iterator().next();
        assertEquals("the-owner", owner.getName());
        assertTrue(owner.isDaemon());

        final FakePlugin plain = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(plain).build())
        {
            dispatcher.call(FAKE, "1");
        }
        final Thread defaultOwner = plain.callers.iterator().next();
        assertEquals("ringbridge-fake", defaultOwner.getName());
        assertFalse(defaultOwner.isDaemon());
    }

    @Test
    void shouldLeaveThePluginOpenWhenAskedTo() throws Exception
    {
        final FakePlugin fake = new FakePlugin();
        try (PluginDispatcher dispatcher = new DispatcherBuilder(fake).closePlugin(false).build())
        {
            dispatcher.call(FAKE, "1");
        }
        assertEquals(1, fake.releases.get(), "released once");
        assertFalse(fake.isClosed(), "but not closed");
        final FakePlugin closed = new FakePlugin();
        closed.release(true);
        assertEquals("plugin fake is closed",
            assertThrows(IllegalStateException.class, () -> new DispatcherBuilder(closed).build()).getMessage());
    }
}
