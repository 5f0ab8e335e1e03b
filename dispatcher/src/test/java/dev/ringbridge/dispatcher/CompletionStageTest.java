package dev.ringbridge.dispatcher;

import dev.ringbridge.ffi.PluginException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every {@link java.util.concurrent.CompletionStage} method of a {@link CallFuture}, each in its three forms, on a call that
 * succeeded and on one the plugin failed (against the fake: a panic, then calls to the FAILED plugin): each runs its
 * function with the call's outcome.
 */
class CompletionStageTest
{
    private static final CallType<String, String> FAKE = CallType.json("fake");
    private static final CompletableFuture<String> NEVER = new CompletableFuture<>();
    private static final CompletableFuture<String> TWO = CompletableFuture.completedFuture("2");

    private static ExecutorService executor;
    private static PluginDispatcher dispatcher;
    private static PluginDispatcher panicking;

    @BeforeAll
    static void start()
    {
        executor = Executors.newFixedThreadPool(2);
        dispatcher = new DispatcherBuilder(new FakePlugin()).build();
        panicking = new DispatcherBuilder(new FakePlugin()).build();
    }

    @AfterAll
    static void stop()
    {
        dispatcher.close();
        panicking.close();
        executor.shutdownNow();
    }

    private static CallFuture<String> one() throws InterruptedException
    {
        return dispatcher.submit(FAKE, "1");
    }

    private static CallFuture<String> failed() throws InterruptedException
    {
        return panicking.submit(FAKE, "\"panic\"");
    }

    /** The failed call's outcome as a stage sees it: the plugin's exception, not wrapped. */
    private static String outcome(final Throwable e)
    {
        return e instanceof PluginException ? "the plugin failed" : "unexpected " + e;
    }

    private static <T> T done(final CompletionStage<T> stage) throws Exception
    {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldApplyAcceptAndRunInEveryForm() throws Exception
    {
        final Function<String, String> twice = s -> s + s;
        assertEquals("11", done(one().thenApply(twice)));
        assertEquals("11", done(one().thenApplyAsync(twice)));
        assertEquals("11", done(one().thenApplyAsync(twice, executor)));
        final List<String> seen = new CopyOnWriteArrayList<>();
        done(one().thenAccept(seen::add));
        done(one().thenAcceptAsync(seen::add));
        done(one().thenAcceptAsync(seen::add, executor));
        done(one().thenRun(() -> seen.add("run")));
        done(one().thenRunAsync(() -> seen.add("run")));
        done(one().thenRunAsync(() -> seen.add("run"), executor));
        assertEquals(List.of("1", "1", "1", "run", "run", "run"), seen);
        assertEquals("1", done(one().toCompletableFuture()));
        final CallFuture<String> call = one();
        assertNotSame(call.toCompletableFuture(), call.toCompletableFuture(), "a new dependent each time: completing it leaves the call alone");
        call.toCompletableFuture().complete("forged");
        assertEquals("1", call.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldCombineWithAnotherStageInEveryForm() throws Exception
    {
        assertEquals("12", done(one().thenCombine(TWO, String::concat)));
        assertEquals("12", done(one().thenCombineAsync(TWO, String::concat)));
        assertEquals("12", done(one().thenCombineAsync(TWO, String::concat, executor)));
        final List<String> seen = new CopyOnWriteArrayList<>();
        done(one().thenAcceptBoth(TWO, (a, b) -> seen.add(a + b)));
        done(one().thenAcceptBothAsync(TWO, (a, b) -> seen.add(a + b)));
        done(one().thenAcceptBothAsync(TWO, (a, b) -> seen.add(a + b), executor));
        done(one().runAfterBoth(TWO, () -> seen.add("both")));
        done(one().runAfterBothAsync(TWO, () -> seen.add("both")));
        done(one().runAfterBothAsync(TWO, () -> seen.add("both"), executor));
        assertEquals(List.of("12", "12", "12", "both", "both", "both"), seen);
    }

    @Test
    void shouldTakeTheCallWhenTheOtherStageNeverCompletesInEveryForm() throws Exception
    {
        final Function<String, String> mark = s -> "<" + s + ">";
        assertEquals("<1>", done(one().applyToEither(NEVER, mark)));
        assertEquals("<1>", done(one().applyToEitherAsync(NEVER, mark)));
        assertEquals("<1>", done(one().applyToEitherAsync(NEVER, mark, executor)));
        final List<String> seen = new CopyOnWriteArrayList<>();
        done(one().acceptEither(NEVER, seen::add));
        done(one().acceptEitherAsync(NEVER, seen::add));
        done(one().acceptEitherAsync(NEVER, seen::add, executor));
        done(one().runAfterEither(NEVER, () -> seen.add("either")));
        done(one().runAfterEitherAsync(NEVER, () -> seen.add("either")));
        done(one().runAfterEitherAsync(NEVER, () -> seen.add("either"), executor));
        assertEquals(List.of("1", "1", "1", "either", "either", "either"), seen);
    }

    @Test
    void shouldComposeInEveryForm() throws Exception
    {
        final Function<String, CompletionStage<String>> next = s -> CompletableFuture.completedFuture(s + "!");
        assertEquals("1!", done(one().thenCompose(next)));
        assertEquals("1!", done(one().thenComposeAsync(next)));
        assertEquals("1!", done(one().thenComposeAsync(next, executor)));
    }

    @Test
    void shouldHandleAndObserveBothOutcomesInEveryForm() throws Exception
    {
        assertEquals("ok 1", done(one().handle((r, e) -> e == null ? "ok " + r : "failed")));
        assertEquals("ok 1", done(one().handleAsync((r, e) -> e == null ? "ok " + r : "failed")));
        assertEquals("ok 1", done(one().handleAsync((r, e) -> e == null ? "ok " + r : "failed", executor)));
        assertEquals("the plugin failed", done(failed().handle((r, e) -> outcome(e))));
        assertEquals("the plugin failed", done(failed().handleAsync((r, e) -> outcome(e))));
        assertEquals("the plugin failed", done(failed().handleAsync((r, e) -> outcome(e), executor)));
        final List<Object> seen = new CopyOnWriteArrayList<>();
        assertEquals("1", done(one().whenComplete((r, e) -> seen.add(r))));
        assertEquals("1", done(one().whenCompleteAsync((r, e) -> seen.add(r))));
        assertEquals("1", done(one().whenCompleteAsync((r, e) -> seen.add(r), executor)));
        assertEquals(List.of("1", "1", "1"), seen);
        final CompletionException e = assertThrows(CompletionException.class,
            () -> failed().whenComplete((r, x) -> seen.add(x.getClass())).join());
        assertInstanceOf(PluginException.class, e.getCause());
        assertThrows(CompletionException.class, () -> failed().whenCompleteAsync((r, x) -> seen.add(x.getClass())).join());
        assertThrows(CompletionException.class, () -> failed().whenCompleteAsync((r, x) -> seen.add(x.getClass()), executor).join());
        assertEquals(List.of("1", "1", "1", PluginException.class, PluginException.class, PluginException.class), seen);
    }

    @Test
    void shouldRecoverFromAFailureInEveryForm() throws Exception
    {
        final Function<Throwable, String> recover = e -> "recovered: " + outcome(e);
        assertEquals("recovered: the plugin failed", done(failed().exceptionally(recover)));
        assertEquals("recovered: the plugin failed", done(failed().exceptionallyAsync(recover)));
        assertEquals("recovered: the plugin failed", done(failed().exceptionallyAsync(recover, executor)));
        final Function<Throwable, CompletionStage<String>> again = e -> CompletableFuture.completedFuture("again");
        assertEquals("again", done(failed().exceptionallyCompose(again)));
        assertEquals("again", done(failed().exceptionallyComposeAsync(again)));
        assertEquals("again", done(failed().exceptionallyComposeAsync(again, executor)));
        assertEquals("1", done(one().exceptionally(recover)), "a success passes through");
        assertEquals("1", done(one().exceptionallyCompose(again)));
    }
}
