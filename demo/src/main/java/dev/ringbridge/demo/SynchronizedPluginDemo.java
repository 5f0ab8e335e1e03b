package dev.ringbridge.demo;

import dev.ringbridge.dispatcher.CallFuture;
import dev.ringbridge.dispatcher.CallType;
import dev.ringbridge.dispatcher.Dispatcher;
import dev.ringbridge.dispatcher.PluginDispatcher;
import dev.ringbridge.dispatcher.PluginPool;
import dev.ringbridge.dispatcher.PluginSource;
import dev.ringbridge.ffi.NativePlugin;
import dev.ringbridge.ffi.PluginConfig;
import dev.ringbridge.ffi.PluginException;
import dev.ringbridge.ffi.bundle.BundleLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The tutorial's synchronized-plugin demo (chapter 7, {@code main.py}) in Java: the same four demos
 * and error example against the real {@code sync-demo-0.1.0.rbp}, with the same output shape, followed
 * by the latency summary the dispatcher recorded, then demo 2 again through pools of 1, 2 and 4 instances.
 *
 * <p>Run it with {@code mvn -q -Pdemo verify -DskipTests}, or with the bundle path as the only argument.
 */
public final class SynchronizedPluginDemo
{
    /** {@code {"message": ...}}, as the plugin's echo handler expects. */
    record EchoRequest(String message)
    {
    }

    /** {@code {"length": ..., "message": ...}}: length in UTF-8 bytes. */
    record EchoResponse(long length, String message)
    {
    }

    /** {@code {"duration_ms": ...}}: snake_case on the wire, as the Rust side expects. */
    record SleepRequest(long durationMs)
    {
    }

    /** {@code {"slept_ms": ...}}. */
    record SleepResponse(long sleptMs)
    {
    }

    /** The plugin's handlers, described once: how each is encoded and decoded. */
    private static final CallType<EchoRequest, EchoResponse> ECHO = CallType.typed("echo", EchoRequest.class, EchoResponse.class);
    private static final CallType<SleepRequest, SleepResponse> SLEEP = CallType.typed("sleep", SleepRequest.class, SleepResponse.class);
    private static final CallType<String, String> INVALID = CallType.json("invalid.tag");
    private static final CallType<String, String> ECHO_JSON = CallType.json("echo");

    private SynchronizedPluginDemo()
    {
    }

    /**
     * @param args the bundle path (default {@code sync-demo-0.1.0.rbp}).
     * @throws Exception when the demo cannot run.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path bundle = Path.of(args.length > 0 ? args[0] : "sync-demo-0.1.0.rbp");
        System.out.println("=== Synchronized Plugin Demo (Java) ===\n");

        // Load the plugin from its bundle (signature checks off for development, as in the tutorial).
        final BundleLoader loader = BundleLoader.builder().verifySignatures(false).build();
        final NativePlugin plugin = loader.load(bundle, PluginConfig.defaults(),
            (level, target, message) -> System.out.printf("  (plugin log %s %s: %s)%n", level, target, message));

        // Wrap it with serialized access: a ring of 5 calls, as the tutorial's queue of 5.
        try (PluginDispatcher dispatcher = PluginDispatcher.builder(plugin).capacity(5).build())
        {
            sequentialCalls(dispatcher);
            concurrentCalls(dispatcher);
            backpressure(dispatcher);
            futures(dispatcher);
            errors(dispatcher);

            System.out.println("\nLatency (HdrHistogram, whole run):");
            System.out.print(dispatcher.metrics().total().summary());
        }
        // The pools' instances log nowhere: seven "started"/"stopped" pairs would bury the timings.
        pools(() -> loader.load(bundle, PluginConfig.defaults(), (level, target, message) -> { }));
        System.out.println("\n=== Demo Complete ===");
    }

    private static void sequentialCalls(final PluginDispatcher dispatcher) throws Exception
    {
        System.out.println("Demo 1: Sequential calls");
        for (int i = 0; i < 3; i++)
        {
            final EchoResponse response = dispatcher.call(ECHO, new EchoRequest("Message " + i));
            System.out.printf("  Echo: %s (len=%d)%n", response.message(), response.length());
        }
    }

    private static void concurrentCalls(final PluginDispatcher dispatcher) throws Exception
    {
        System.out.println("\nDemo 2: Concurrent calls (observe serialization)");
        final long total = tenSleeps(dispatcher, true);
        System.out.printf("%nTotal time: %dms%n", total);
        System.out.println("  (Expected ~1000ms for 10 x 100ms if serialized)");
    }

    /**
     * Demo 2 again through pools of 1, 2 and 4 instances: the same code, written against {@link Dispatcher}, runs
     * on a single dispatcher and on a pool. Each instance is serialized; instances run side by side.
     */
    private static void pools(final PluginSource bundle) throws Exception
    {
        System.out.println("\nDemo 5: The same 10 x 100ms calls through pools of instances");
        for (final int size : new int[] {1, 2, 4})
        {
            try (PluginPool pool = PluginPool.builder(bundle).size(size).name("demo-" + size).build())
            {
                final long total = tenSleeps(pool, false);
                System.out.printf("  pool of %d: %4dms (expected ~%dms)%n", size, total, 100 * ((10 + size - 1) / size));
            }
        }
    }

    /** Ten threads, each making one 100 ms call; returns the time until all are done. */
    private static long tenSleeps(final Dispatcher dispatcher, final boolean narrate) throws Exception
    {
        final long start = System.nanoTime();
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            final int id = i;
            threads.add(Thread.ofPlatform().start(() ->
            {
                if (narrate)
                {
                    System.out.printf("  [%d] Submitting (queue: %d)%n", id, dispatcher.pendingCount());
                }
                call(dispatcher, new SleepRequest(100));
                if (narrate)
                {
                    System.out.printf("  [%d] Completed after %dms%n", id, millisSince(start));
                }
            }));
            Thread.sleep(3); // submit in order, as the tutorial's threads start in order
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        return millisSince(start);
    }

    private static void backpressure(final PluginDispatcher dispatcher) throws Exception
    {
        System.out.println("\nDemo 3: Backpressure (queue size = 5)");
        final long start = System.nanoTime();
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            final int id = i;
            threads.add(Thread.ofPlatform().start(() ->
            {
                final long submitted = millisSince(start);
                call(dispatcher, new SleepRequest(50));
                System.out.printf("  [%02d] Submit@%dms, Complete@%dms%n", id, submitted, millisSince(start));
            }));
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        System.out.printf("%nTotal time: %dms%n", millisSince(start));
    }

    private static void futures(final PluginDispatcher dispatcher) throws Exception
    {
        System.out.println("\nDemo 4: Async with futures");
        final List<CallFuture<EchoResponse>> futures = dispatcher.submitAll(ECHO,
            List.of(new EchoRequest("Alice"), new EchoRequest("Bob"), new EchoRequest("Charlie")));
        // Print in completion order, as as_completed does; one owner thread completes them in order.
        final List<CompletableFuture<Void>> printed = new ArrayList<>();
        for (final CallFuture<EchoResponse> future : futures)
        {
            printed.add(future.thenAccept(response -> System.out.println("  Echo: " + response.message())));
        }
        CompletableFuture.allOf(printed.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    private static void errors(final PluginDispatcher dispatcher) throws InterruptedException
    {
        System.out.println("\nError handling:");
        try
        {
            dispatcher.call(INVALID, "{}");
        }
        catch (final PluginException e)
        {
            System.out.printf("  Plugin error: code %d (%s): %s%n", e.errorCode(), e.kind(), e.getMessage());
        }
        try
        {
            dispatcher.submit(ECHO_JSON, "{\"wrong_field\": 1}").get();
        }
        catch (final ExecutionException e)
        {
            final PluginException cause = (PluginException)e.getCause();
            System.out.printf("  Future failed: code %d (%s): %s%n", cause.errorCode(), cause.kind(), cause.getMessage());
        }
    }

    private static void call(final Dispatcher dispatcher, final SleepRequest request)
    {
        try
        {
            dispatcher.call(SLEEP, request);
        }
        catch (final PluginException e)
        {
            throw new IllegalStateException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisSince(final long startNanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
