package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deadlines in {@link CallOptions}: which one a call gets, in nanoseconds from its submit, and what is refused. */
class CallOptionsTest
{
    private static final CallOptions DEFAULT_5S = CallOptions.timeout(Duration.ofSeconds(5));

    @Test
    void shouldTakeItsOwnTimeoutBeforeTheDefault()
    {
        final CallOptions own = CallOptions.timeout(Duration.ofMillis(20));
        assertEquals(Duration.ofMillis(20).toNanos(), own.budgetNanos(DEFAULT_5S));
        assertEquals(Duration.ofMillis(20).toNanos(), own.budgetNanos(null));
        assertEquals(Optional.of(Duration.ofMillis(20)), own.timeout());
        assertEquals(Optional.empty(), own.deadline());
        assertEquals(1, CallOptions.timeout(Duration.ofNanos(1)).budgetNanos(null), "the shortest timeout");
    }

    @Test
    void shouldTakeTheDefaultOnlyWhenItSetsNoDeadline()
    {
        assertEquals(Duration.ofSeconds(5).toNanos(), CallOptions.defaults().budgetNanos(DEFAULT_5S));
        assertEquals(Duration.ofSeconds(5).toNanos(), CallOptions.defaults().withKey(1L).withLane(Lane.HIGH).budgetNanos(DEFAULT_5S));
        assertEquals(CallOptions.NO_BUDGET, CallOptions.defaults().budgetNanos(null), "no default, no deadline");
        assertEquals(CallOptions.NO_BUDGET, CallOptions.noDeadline().budgetNanos(DEFAULT_5S), "opted out of the default");
        assertEquals(CallOptions.NO_BUDGET, CallOptions.defaults().budgetNanos(CallOptions.noDeadline()));
        assertEquals(Optional.empty(), CallOptions.defaults().timeout());
        assertEquals(Optional.empty(), CallOptions.noDeadline().timeout());
    }

    @Test
    void shouldCountAnAbsoluteDeadlineFromNow()
    {
        final Instant in2s = Instant.now().plusSeconds(2);
        final CallOptions options = CallOptions.deadline(in2s);
        final long budget = options.budgetNanos(DEFAULT_5S);
        assertTrue(budget > Duration.ofMillis(1500).toNanos() && budget <= Duration.ofSeconds(2).toNanos(), "budget " + budget);
        assertEquals(Optional.of(in2s), options.deadline());
        assertEquals(Optional.empty(), options.timeout(), "a deadline replaces a timeout");
        assertTrue(CallOptions.deadline(Instant.now().minusSeconds(1)).budgetNanos(null) < 0, "already passed");
        assertEquals(Long.MAX_VALUE, CallOptions.deadline(Instant.MAX).budgetNanos(null), "saturated, not overflowed");
        assertEquals(Long.MIN_VALUE + 1, CallOptions.deadline(Instant.MIN).budgetNanos(null), "and never NO_BUDGET");
        assertEquals(Long.MAX_VALUE, CallOptions.timeout(Duration.ofSeconds(Long.MAX_VALUE)).budgetNanos(null));
        assertEquals(Optional.empty(), CallOptions.timeout(Duration.ofSeconds(1)).withDeadline(in2s).timeout());
        assertEquals(Duration.ofMillis(7).toNanos(), CallOptions.deadline(in2s).withTimeout(Duration.ofMillis(7)).budgetNanos(null),
            "the last one set wins");
    }

    @Test
    void shouldRefuseDeadlinesThatAreNone()
    {
        assertEquals("timeout must be positive, was PT0S",
            assertThrows(IllegalArgumentException.class, () -> CallOptions.timeout(Duration.ZERO)).getMessage());
        assertEquals("timeout must be positive, was PT-0.001S",
            assertThrows(IllegalArgumentException.class, () -> CallOptions.timeout(Duration.ofMillis(-1))).getMessage());
        assertEquals("timeout must not be null", assertThrows(NullPointerException.class, () -> CallOptions.timeout(null)).getMessage());
        assertEquals("deadline must not be null", assertThrows(NullPointerException.class, () -> CallOptions.deadline(null)).getMessage());
        assertEquals("lane must not be null",
            assertThrows(NullPointerException.class, () -> CallOptions.defaults().withLane(null)).getMessage());
        assertEquals("key must not be null",
            assertThrows(NullPointerException.class, () -> CallOptions.defaults().withKey((String)null)).getMessage());
        assertEquals("key must not be null",
            assertThrows(NullPointerException.class, () -> CallOptions.defaults().withKey((byte[])null)).getMessage());
    }

    @Test
    void shouldKeepEveryOtherOptionWhenOneChanges()
    {
        final Instant at = Instant.now().plusSeconds(3);
        final CallOptions all = CallOptions.deadline(at).withLane(Lane.HIGH).withKey("k").withIdempotent();
        assertEquals(Lane.HIGH, all.lane());
        assertTrue(all.hasKey() && all.idempotent());
        assertEquals(Optional.of(at), all.withLane(Lane.HIGH).deadline());
        final CallOptions changed = all.withTimeout(Duration.ofSeconds(1));
        assertEquals(Lane.HIGH, changed.lane());
        assertTrue(changed.hasKey() && changed.idempotent());
        assertEquals(all.keyHash(), changed.keyHash());
        final CallOptions again = CallOptions.timeout(Duration.ofSeconds(1)).withKey("k").withIdempotent().withLane(Lane.HIGH);
        assertEquals(changed, again);
        assertEquals(changed.hashCode(), again.hashCode());
        assertEquals(Lane.NORMAL, CallOptions.defaults().lane());
        assertSame(CallOptions.defaults(), CallOptions.defaults());
        assertFalse(CallOptions.defaults().hasKey() || CallOptions.defaults().idempotent());
    }

    @Test
    void shouldTellOptionsApartByEachField()
    {
        final CallOptions base = CallOptions.timeout(Duration.ofSeconds(1)).withKey("k");
        assertNotEquals(base, CallOptions.timeout(Duration.ofSeconds(2)).withKey("k"), "timeout");
        assertNotEquals(base, base.withLane(Lane.HIGH), "lane");
        assertNotEquals(base, base.withKey("other"), "key");
        assertNotEquals(base, CallOptions.timeout(Duration.ofSeconds(1)), "keyed");
        assertNotEquals(base, base.withIdempotent(), "idempotent");
        assertNotEquals(CallOptions.defaults(), CallOptions.noDeadline(), "default deadline or none");
        final Instant at = Instant.now();
        assertNotEquals(CallOptions.deadline(at), CallOptions.deadline(at.plusMillis(1)), "deadline");
        assertEquals(CallOptions.deadline(at), CallOptions.deadline(at));
        assertNotEquals(base, "not options");
        assertEquals(CallOptions.defaults().withKey(0L), CallOptions.defaults().withKey(0L));
    }
}
