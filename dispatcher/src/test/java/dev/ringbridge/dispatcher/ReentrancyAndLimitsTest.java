package dev.ringbridge.dispatcher;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.LogSink;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.PluginClosingSink;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User code the dispatcher calls back (log sinks) and limits on what a plugin may answer. */
class ReentrancyAndLimitsTest
{
    record Echo(String message)
    {
    }

    record Echoed(long length, String message)
    {
    }

    private static final CallType<String, String> LOG = CallType.json("log");

    @Test
    void shouldCloseTheDispatcherFromALogSinkInsideACall() throws Exception
    {
        final AtomicReference<PluginDispatcher> self = new AtomicReference<>();
        final LogSink closing = (level, target, message) ->
        {
            if (message.equals("close the dispatcher"))
            {
                self.get().close(); // on the owner thread, inside plugin_call: must not wait for itself
            }
        };
        final NativePlugin plugin = NativePlugin.load(SamplePlugin.library(), PluginConfig.defaults(), closing);
        final PluginDispatcher dispatcher = PluginDispatcher.builder(plugin).daemon(true).build();
        self.set(dispatcher);
        final CallFuture<String> logging = dispatcher.submit(LOG, "{\"level\":\"warn\",\"message\":\"close the dispatcher\"}");
        assertEquals(1, SamplePlugin.longField(logging.get(10, TimeUnit.SECONDS), "emitted"), "the call in progress finishes");
        assertTrue(dispatcher.awaitTermination(Duration.ofSeconds(10)), "the close took effect after the call");
        assertTrue(plugin.isClosed());
        assertTrue(dispatcher.isShutdown());
    }

    @Test
    void shouldRefuseToCloseThePluginFromALogSinkUnderADispatcher() throws Exception
    {
        final PluginClosingSink closing = PluginClosingSink.loadSamplePlugin("close the plugin");
        final NativePlugin plugin = closing.plugin();
        final List<Throwable> refusals = closing.refusals();
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(plugin).daemon(true).build())
        {
            final CallFuture<String> logging = dispatcher.submit(LOG, "{\"level\":\"warn\",\"message\":\"close the plugin\"}");
            assertEquals(1, SamplePlugin.longField(logging.get(10, TimeUnit.SECONDS), "emitted"));
            assertEquals(1, refusals.size(), refusals.toString());
            assertInstanceOf(IllegalStateException.class, refusals.getFirst());
            assertTrue(dispatcher.call(CallType.json("echo"), "{\"message\":\"still serving\"}").contains("still serving"));
        }
        assertTrue(plugin.isClosed(), "closing the dispatcher closes the plugin");
    }

    @Test
    void shouldNameTheMapperLimitATypedResponseExceeds() throws Exception
    {
        final ObjectMapper strict = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(16).build()).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        final CallType<Echo, Echoed> echo = CallType.typed("echo", Echo.class, Echoed.class, strict);
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            assertEquals(new Echoed(5, "short"), dispatcher.call(echo, new Echo("short")));
            final String longer = "x".repeat(40);
            final PluginException blocking = assertThrows(PluginException.class, () -> dispatcher.call(echo, new Echo(longer)));
            assertEquals(ErrorKind.UNKNOWN, blocking.kind(), "raised by the host, not the plugin");
            assertTrue(blocking.getMessage().contains("getMaxStringLength"), blocking.getMessage());
            assertFalse(blocking.getMessage().contains(longer), "the response itself is not quoted");
            final ExecutionException async = assertThrows(ExecutionException.class,
                () -> dispatcher.submit(echo, new Echo(longer)).get(10, TimeUnit.SECONDS));
            assertInstanceOf(PluginException.class, async.getCause());
            assertEquals("x".repeat(40).length(), dispatcher.call(CallType.json("echo"), "{\"message\":\"" + longer + "\"}").length() - 26,
                "a plain JSON call is not bound by the typed mapper's limits");
        }
    }

    @Test
    void shouldSayThePluginWasClosedWhenItIsClosedRightAfterBuild() throws Exception
    {
        final NativePlugin plugin = SamplePlugin.load();
        final PluginDispatcher dispatcher = PluginDispatcher.builder(plugin).closePlugin(false).build();
        plugin.close();
        try
        {
            final Exception failure = assertThrows(Exception.class, () -> dispatcher.call(CallType.json("echo"), "{\"message\":\"x\"}"));
            assertTrue(failure.getMessage().contains("closed"), failure.toString());
        }
        finally
        {
            dispatcher.close();
        }
    }
}
