package dev.ringbridge.bench.contender;

import dev.ringbridge.bench.Workload;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.testing.NeedsSamplePlugin;
import dev.ringbridge.testing.SamplePlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One contract, three peers (JCTools, Agrona, executor), against the real sample plugin: calls answer on
 * the worker thread, the queue's bound holds, plugin failures reach the future, and closing runs every
 * call already accepted.
 */
@NeedsSamplePlugin
class PeerContenderTest
{
    private static final long WAIT_SECONDS = 10;
    private static NativePlugin plugin;

    @BeforeAll
    static void loadPlugin() throws Exception
    {
        plugin = NativePlugin.load(SamplePlugin.library());
    }

    @AfterAll
    static void closePlugin()
    {
        plugin.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"EXECUTOR", "JCTOOLS", "AGRONA"})
    void shouldAnswerJsonAndBinaryCallsOnTheWorkerThread(final ContenderKind kind) throws Exception
    {
        try (Contender contender = kind.start(plugin, 1024);
             Caller echo = contender.open(Workload.ECHO_64);
             Caller binary = contender.open(Workload.BINARY_SMALL))
        {
            assertEquals(kind, contender.kind());
            final Thread worker = contender.worker().orElseThrow();
            assertNotSame(Thread.currentThread(), worker);
            final Future<?> answer = echo.submit();
            final String json = (String)answer.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(json.contains("\"length\":64"), json);
            final Thread[] completedOn = new Thread[1];
            ((CompletableFuture<?>)binary.submit()).thenRun(() -> completedOn[0] = Thread.currentThread()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            final byte[] response = (byte[])binary.submit().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(Workload.BINARY_RESPONSE_BYTES, response.length);
            echo.call();
            binary.call();
            // A callback attached before completion runs where the future completes: possibly the worker, never a third thread.
            assertTrue(completedOn[0] == worker || completedOn[0] == Thread.currentThread(), String.valueOf(completedOn[0]));
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"EXECUTOR", "JCTOOLS", "AGRONA"})
    void shouldHoldAProducerWhileTheQueueIsFull(final ContenderKind kind) throws Exception
    {
        final int capacity = 2;
        try (Contender contender = kind.start(plugin, capacity);
             Caller sleeper = contender.open(Workload.SLEEP_10MS))
        {
            final List<Future<?>> futures = new ArrayList<>();
            // The worker holds one call and the queue two: the fourth submit returns only once the worker took
            // the second call, which it does after completing the first.
            for (int i = 0; i < capacity + 2; i++)
            {
                futures.add(sleeper.submit());
            }
            assertTrue(futures.getFirst().isDone(), "the queue's bound held the producer until the first call finished");
            for (final Future<?> future : futures)
            {
                future.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"EXECUTOR", "JCTOOLS", "AGRONA"})
    void shouldFailTheFutureWithThePluginsException(final ContenderKind kind) throws Exception
    {
        try (PeerContender contender = (PeerContender)kind.start(plugin, 16))
        {
            final CompletableFuture<Object> failed = contender.lane().submit(CallRequest.json("fail", "{\"message\":\"boom\"}"));
            final ExecutionException thrown = assertThrows(ExecutionException.class, () -> failed.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(PluginException.class, thrown.getCause());
            // The worker carries on.
            assertTrue(((String)contender.lane().submit(CallRequest.of(Workload.ECHO_64)).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .contains("\"length\":64"));
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"EXECUTOR", "JCTOOLS", "AGRONA"})
    void shouldRunEveryAcceptedCallBeforeClosing(final ContenderKind kind) throws Exception
    {
        final List<Future<?>> futures = new ArrayList<>();
        final Contender contender = kind.start(plugin, 16);
        try (Caller sleeper = contender.open(Workload.SLEEP_1MS))
        {
            for (int i = 0; i < 10; i++)
            {
                futures.add(sleeper.submit());
            }
        }
        contender.close();
        for (final Future<?> future : futures)
        {
            assertTrue(future.state() == Future.State.SUCCESS, "every accepted call ran before close returned");
        }
        final Thread worker = contender.worker().orElseThrow();
        worker.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(worker.isAlive(), "the worker stopped");
    }
}
