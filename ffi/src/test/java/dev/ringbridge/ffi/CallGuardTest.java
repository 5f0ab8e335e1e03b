package dev.ringbridge.ffi;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plugin's close waits for the calls inside it and lets no new one in. */
class CallGuardTest
{
    @Test
    void shouldWaitForEveryCallInsideBeforeItCloses() throws Exception
    {
        final CallGuard guard = new CallGuard();
        assertTrue(guard.enter());
        assertTrue(guard.enter());
        final CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(guard::close, task -> Thread.ofPlatform().start(task));
        assertThrows(TimeoutException.class, () -> closing.get(200, TimeUnit.MILLISECONDS), "two calls inside");
        assertTrue(guard.isClosed(), "closed to new calls at once");
        assertFalse(guard.enter(), "no new call enters");
        guard.exit();
        assertThrows(TimeoutException.class, () -> closing.get(100, TimeUnit.MILLISECONDS), "one call still inside");
        guard.exit();
        assertTrue(closing.get(5, TimeUnit.SECONDS), "the close that closed it");
        assertFalse(guard.close(), "a second close");
        assertFalse(guard.enter());
    }

    @Test
    void shouldCloseAtOnceWhenNothingIsInside()
    {
        final CallGuard guard = new CallGuard();
        assertFalse(guard.isClosed());
        assertTrue(guard.enter());
        guard.exit();
        assertTrue(guard.close());
        assertTrue(guard.isClosed());
    }
}
