package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.ErrorKind;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JFR events, read back from a real recording, and as {@code jfr print} shows them. */
@NeedsSamplePlugin
class FlightEventsTest
{
    private static final String CALL = "dev.ringbridge.Call";
    private static final CallType<String, String> ECHO = CallType.json("echo");

    @TempDir
    Path dir;

    @Test
    void shouldRecordEveryCallAndTheLifecycleWithAThresholdOfZero() throws Exception
    {
        final List<RecordedEvent> events;
        try (Recording recording = new Recording())
        {
            recording.enable(CALL).with("serviceThreshold", "0 ns");
            recording.enable("dev.ringbridge.DispatcherStart");
            recording.enable("dev.ringbridge.DispatcherStop");
            recording.start();
            try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
            {
                for (int i = 0; i < 3; i++)
                {
                    dispatcher.call(ECHO, "{\"message\":\"m\"}");
                }
                assertThrows(PluginException.class, () -> dispatcher.call(CallType.json("fail"), "{\"message\":\"x\"}"));
                // Behind a sleep: one call shed at its deadline, one cancelled. Neither runs, both are finished.
                final CallFuture<String> holding = dispatcher.submit(CallType.json("sleep"), "{\"duration_ms\":100}");
                final CallFuture<String> shed = dispatcher.submit(ECHO, "{\"message\":\"late\"}", CallOptions.timeout(Duration.ofMillis(1)));
                dispatcher.submit(ECHO, "{\"message\":\"cancelled\"}").cancel(false);
                holding.get(5, TimeUnit.SECONDS);
                assertInstanceOf(DeadlineExceededException.class, assertThrows(ExecutionException.class, () -> shed.get(5, TimeUnit.SECONDS)).getCause());
            }
            recording.stop();
            events = read(recording);
        }
        assertEquals(Long.MAX_VALUE, FlightEvents.ServiceThreshold.nanos,
            "with the recording closed, the owners compare with 'never' again, not with its 0 ns");
        final List<RecordedEvent> calls = named(events, CALL);
        assertEquals(5, calls.size(), "one event per call that ran");
        final RecordedEvent echo = calls.get(0);
        assertEquals("echo", echo.getString("type"));
        assertEquals("success", echo.getString("outcome"));
        assertEquals(0, echo.getInt("errorCode"));
        assertTrue(echo.getString("plugin").contains("sync"), echo.getString("plugin"));
        assertTrue(echo.getDuration("serviceTime").toNanos() > 0, "the native call's time");
        assertTrue(echo.getThread().getJavaName().startsWith("ringbridge"), "recorded on the owner thread: " + echo.getThread().getJavaName());
        final RecordedEvent fail = calls.get(3);
        assertEquals("fail", fail.getString("type"));
        assertEquals("plugin error", fail.getString("outcome"));
        assertEquals(ErrorKind.HANDLER_ERROR.code(), fail.getInt("errorCode"));

        assertEquals(1, named(events, "dev.ringbridge.DispatcherStart").size());
        assertTrue(named(events, "dev.ringbridge.DispatcherStart").get(0).getBoolean("opened"));
        assertEquals(1024, named(events, "dev.ringbridge.DispatcherStart").get(0).getInt("capacity"));
        assertEquals(7, named(events, "dev.ringbridge.DispatcherStop").get(0).getLong("finished"),
            "4 succeeded (three echoes, the sleep), 1 failed, 1 shed, 1 cancelled");
    }

    @Test
    void shouldRecordOnlyCallsOverTheDefaultThreshold() throws Exception
    {
        final List<RecordedEvent> events;
        try (Recording recording = new Recording())
        {
            recording.enable(CALL);
            recording.start();
            try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
            {
                for (int i = 0; i < 100; i++)
                {
                    dispatcher.call(ECHO, "{\"message\":\"m\"}");
                }
                dispatcher.call(CallType.json("sleep"), "{\"duration_ms\":30}");
            }
            recording.stop();
            events = read(recording);
        }
        final List<RecordedEvent> calls = named(events, CALL);
        assertEquals(1, calls.size(), "only the call over 10 ms: " + calls);
        assertEquals("sleep", calls.get(0).getString("type"));
        final Duration service = calls.get(0).getDuration("serviceTime");
        assertTrue(service.toMillis() >= 30 && service.toSeconds() < 10, "the sleep's own time: " + service);
        final Duration queued = calls.get(0).getDuration("queueWait");
        assertTrue(!queued.isNegative() && queued.toSeconds() < 10, "from submit to start: " + queued);
    }

    @Test
    void shouldRecordAPanicAndTheRestartThatFollows() throws Exception
    {
        final List<RecordedEvent> events;
        final List<RestartEvent> restarts = new CopyOnWriteArrayList<>();
        try (Recording recording = new Recording())
        {
            recording.enable("dev.ringbridge.PluginFailed");
            recording.enable("dev.ringbridge.InstanceRestart");
            recording.start();
            try (PluginPool pool = PluginPool.builder(SamplePlugin::load).size(1).name("jfr").onRestart(restarts::add).build())
            {
                assertThrows(PluginException.class, () -> pool.call(CallType.json("panic"), "{}"));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (restarts.isEmpty() && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
            }
            recording.stop();
            events = read(recording);
        }
        assertEquals(1, named(events, "dev.ringbridge.PluginFailed").size());
        assertEquals("panic", named(events, "dev.ringbridge.PluginFailed").get(0).getString("type"));
        final List<RecordedEvent> restarted = named(events, "dev.ringbridge.InstanceRestart");
        assertEquals(1, restarted.size());
        assertEquals("jfr", restarted.get(0).getString("pool"));
        assertEquals("RESTARTED", restarted.get(0).getString("outcome"));
        assertEquals(1, restarted.get(0).getLong("restarts"));
    }

    @Test
    void shouldPrintTheCallsWithTheJdksJfrTool() throws Exception
    {
        final Path file = dir.resolve("calls.jfr");
        try (Recording recording = new Recording())
        {
            recording.enable(CALL).with("serviceThreshold", "0 ns");
            recording.start();
            try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
            {
                dispatcher.call(ECHO, "{\"message\":\"printed\"}");
            }
            recording.stop();
            recording.dump(file);
        }
        final Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        final Process print = new ProcessBuilder(jfr.toString(), "print", "--events", CALL, file.toString())
            .redirectErrorStream(true).start();
        final String out = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(print.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, print.exitValue(), out);
        assertTrue(out.contains(CALL) && out.contains("type = \"echo\"") && out.contains("outcome = \"success\""), out);
    }

    private List<RecordedEvent> read(final Recording recording) throws IOException
    {
        final Path file = dir.resolve("recording-" + System.nanoTime() + ".jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file);
    }

    private static List<RecordedEvent> named(final List<RecordedEvent> events, final String name)
    {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
