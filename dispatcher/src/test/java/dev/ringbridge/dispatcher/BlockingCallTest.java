package dev.ringbridge.dispatcher;

import dev.ringbridge.testing.BenchSmall;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A blocking call whose caller is interrupted while it waits, against the real plugin: the abandoned call is skipped,
 * the thread's next call gets its own answer, and a call into the caller's own memory is waited out, interrupt kept.
 */
@NeedsSamplePlugin
class BlockingCallTest
{
    private static final CallType<String, String> SLEEP = CallType.json("sleep");
    private static final CallType<String, String> ECHO = CallType.json("echo");

    private static String echo(final String message)
    {
        return "{\"message\":\"" + message + "\"}";
    }

    /** Calls that reached the plugin, the stats call itself not counted. */
    private static long pluginCalls(final PluginDispatcher dispatcher) throws Exception
    {
        return SamplePlugin.longField(dispatcher.call(CallType.json("stats"), "{}"), "calls");
    }

    /** Interrupts {@code caller} once it is parked (in a blocking call's wait). */
    private static void interruptWhenParked(final Thread caller) throws InterruptedException
    {
        while (caller.getState() != Thread.State.WAITING && caller.getState() != Thread.State.TIMED_WAITING)
        {
            Thread.sleep(1);
        }
        caller.interrupt();
    }

    private static void shouldSkipTheAbandonedCallAndAnswerTheNextOne(final boolean timed) throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build())
        {
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, "{\"duration_ms\":300}");
            final AtomicReference<Throwable> first = new AtomicReference<>();
            final CompletableFuture<String> second = new CompletableFuture<>();
            final Thread caller = Thread.ofPlatform().start(() ->
            {
                try
                {
                    if (timed)
                    {
                        dispatcher.call(ECHO, echo("first"), Duration.ofSeconds(30));
                    }
                    else
                    {
                        dispatcher.call(ECHO, echo("first"));
                    }
                }
                catch (final Throwable t)
                {
                    first.set(t);
                }
                try
                {
                    // Queued behind the sleep and the abandoned call, on the same thread's next completion.
                    second.complete(dispatcher.call(ECHO, echo("second")));
                }
                catch (final Throwable t)
                {
                    second.completeExceptionally(t);
                }
            });
            interruptWhenParked(caller);
            caller.join(5_000);
            assertInstanceOf(InterruptedException.class, first.get());
            assertTrue(first.get().getMessage().contains("it is skipped if it has not started"), first.get().getMessage());
            assertTrue(second.get(5, TimeUnit.SECONDS).contains("second"), "the thread's next call gets its own answer");
            sleep.get(5, TimeUnit.SECONDS);
            assertEquals(2, pluginCalls(dispatcher), "the sleep and the second echo; the abandoned one was skipped");
            assertEquals(1, dispatcher.totalMetrics().cancelled());
        }
    }

    @Test
    void shouldSkipTheAbandonedCallAndAnswerTheNextOne() throws Exception
    {
        shouldSkipTheAbandonedCallAndAnswerTheNextOne(false);
    }

    @Test
    void shouldSkipTheAbandonedTimedCallAndAnswerTheNextOne() throws Exception
    {
        shouldSkipTheAbandonedCallAndAnswerTheNextOne(true);
    }

    @Test
    void shouldWaitOutACallIntoCallerMemoryAndKeepTheInterrupt() throws Exception
    {
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(SamplePlugin.load()).build();
             Arena arena = Arena.ofShared())
        {
            final byte[] bytes = BenchSmall.request("raw", 1);
            final MemorySegment request = arena.allocate(bytes.length);
            request.copyFrom(MemorySegment.ofArray(bytes));
            final MemorySegment response = arena.allocate(4096);
            final CallFuture<String> sleep = dispatcher.submit(SLEEP, "{\"duration_ms\":200}");
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final AtomicReference<Boolean> interruptKept = new AtomicReference<>();
            final Thread caller = Thread.ofPlatform().start(() ->
            {
                try
                {
                    outcome.set(dispatcher.callRaw(1, request, response));
                }
                catch (final Throwable t)
                {
                    outcome.set(t);
                }
                interruptKept.set(Thread.currentThread().isInterrupted());
            });
            interruptWhenParked(caller);
            caller.join(5_000);
            final long length = assertInstanceOf(Long.class, outcome.get(), "the call into caller memory ran to its end");
            final byte[] answer = response.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            assertEquals("value_for_raw", BenchSmall.value(answer));
            assertEquals(Boolean.TRUE, interruptKept.get(), "the interrupt is kept for the caller");
            sleep.get(5, TimeUnit.SECONDS);
        }
    }
}
