package dev.ringbridge.ffi;

import dev.ringbridge.testing.PluginClosingSink;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogCallbackTest
{
    private record Entry(LogLevel level, String target, String message, Thread thread)
    {
    }

    @Test
    void shouldDeliverMessagesFromThePluginsOwnThreads() throws Exception
    {
        final List<Entry> entries = new CopyOnWriteArrayList<>();
        final LogSink sink = (level, target, message) -> entries.add(new Entry(level, target, message, Thread.currentThread()));
        try (NativePlugin plugin = NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), sink))
        {
            entries.clear();
            final String reply = plugin.call("log", "{\"level\":\"warn\",\"message\":\"from native \u00e9\",\"threads\":3}");
            assertEquals(4, SamplePlugin.longField(reply, "emitted"));

            final List<Entry> ours = entries.stream().filter(e -> e.message().equals("from native \u00e9")).toList();
            assertEquals(4, ours.size(), entries.toString());
            assertTrue(ours.stream().allMatch(e -> e.level() == LogLevel.WARN && e.target().equals("sync_demo")), ours.toString());
            final Set<Thread> threads = ConcurrentHashMap.newKeySet();
            ours.forEach(e -> threads.add(e.thread()));
            assertEquals(4, threads.size(), "one message from the caller and one from each of 3 native threads");
            assertTrue(threads.contains(Thread.currentThread()));
        }
    }

    @Test
    void shouldFilterByTheLevelSetAtRunTime() throws Exception
    {
        final List<String> messages = new CopyOnWriteArrayList<>();
        try (NativePlugin plugin = NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), (l, t, m) -> messages.add(m)))
        {
            plugin.setLogLevel(LogLevel.ERROR);
            plugin.call("log", "{\"level\":\"info\",\"message\":\"hidden\"}");
            assertFalse(messages.contains("hidden"));

            plugin.setLogLevel(LogLevel.DEBUG);
            plugin.call("log", "{\"level\":\"debug\",\"message\":\"shown\"}");
            assertTrue(messages.contains("shown"), messages.toString());
        }
    }

    @Test
    void shouldRefuseAtOnceToCloseThePluginFromItsLogSink() throws Exception
    {
        final PluginClosingSink closing = PluginClosingSink.loadSamplePlugin("close me");
        final NativePlugin plugin = closing.plugin();
        final List<Throwable> refusals = closing.refusals();
        try
        {
            // From the calling thread and from 2 native threads the call waits for; on a daemon thread,
            // so that a deadlock fails the test instead of hanging it.
            final CompletableFuture<String> reply = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() ->
            {
                try
                {
                    reply.complete(plugin.call("log", "{\"level\":\"warn\",\"message\":\"close me\",\"threads\":2}"));
                }
                catch (final Throwable t)
                {
                    reply.completeExceptionally(t);
                }
            });
            assertEquals(3, SamplePlugin.longField(reply.get(10, TimeUnit.SECONDS), "emitted"));
            assertEquals(3, refusals.size(), refusals.toString());
            for (final Throwable refusal : refusals)
            {
                assertTrue(refusal instanceof IllegalStateException && refusal.getMessage().contains("cannot be closed from inside a LogSink"),
                    refusal.toString());
            }
            assertFalse(plugin.isClosed());
            assertEquals(LifecycleState.ACTIVE, plugin.state());
        }
        finally
        {
            plugin.close();
        }
        assertTrue(plugin.isClosed());
    }

    @Test
    void shouldContainExceptionsThrownBySinks() throws Exception
    {
        final LogSink throwing = (level, target, message) ->
        {
            throw new IllegalStateException("sink failure");
        };
        try (NativePlugin plugin = NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), throwing))
        {
            plugin.call("log", "{\"level\":\"error\",\"message\":\"boom\",\"threads\":2}");
            assertEquals(LifecycleState.ACTIVE, plugin.state());
        }
    }
}
