package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VirtualThreadsTest
{
    @Tag("load")
    @Test
    void shouldCompleteTenThousandVirtualThreadsOnASmallRing() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).capacity(16).build();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor())
        {
            final List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 10_000; i++)
            {
                final String message = "v" + i;
                replies.add(threads.submit(() -> dispatcher.call(CallType.json("echo"), "{\"message\":\"" + message + "\"}")));
            }
            for (int i = 0; i < replies.size(); i++)
            {
                assertEquals("v" + i, SamplePlugin.textField(replies.get(i).get(60, TimeUnit.SECONDS), "message"));
            }
            final String stats = dispatcher.call(CallType.json("stats"), "{}");
            assertEquals(1, SamplePlugin.longField(stats, "max_in_flight"));
            assertEquals(1, SamplePlugin.longField(stats, "calling_threads"));
        }
    }
}
