package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartPolicyTest
{
    @Test
    void shouldRestartAtOnceThenBackOffExponentiallyUpToTheCap()
    {
        final RestartPolicy policy = RestartPolicy.of(20, Duration.ofMinutes(1)).withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
        final long[] expectedMillis = {0, 10, 20, 40, 80, 100, 100};
        for (int restarts = 0; restarts < expectedMillis.length; restarts++)
        {
            assertEquals(Duration.ofMillis(expectedMillis[restarts]).toNanos(), policy.backoffNanos(restarts), "after " + restarts);
        }
        assertEquals(Duration.ofMillis(100).toNanos(), policy.backoffNanos(1_000), "no overflow far beyond the cap");
    }

    @Test
    void shouldRefuseNonsense()
    {
        assertThrows(IllegalArgumentException.class, () -> RestartPolicy.of(-1, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> RestartPolicy.of(1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> RestartPolicy.defaults().withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals(0, RestartPolicy.never().maxRestarts());
        assertTrue(RestartPolicy.defaults().toString().contains("5 restarts per PT1M"), RestartPolicy.defaults().toString());
    }

    @Test
    void shouldRouteEqualKeysAlikeWhateverTheirForm()
    {
        final CallOptions base = CallOptions.timeout(Duration.ofMillis(5));
        assertEquals(base.withKey("customer-7"), base.withKey("customer-7"));
        assertEquals(base.withKey(new byte[] {1, 2, 3}).keyHash(), base.withKey(new byte[] {1, 2, 3}).keyHash());
        assertNotEquals(base.withKey(1L).keyHash(), base.withKey(2L).keyHash());
        assertTrue(base.withKey(7L).hasKey() && !base.hasKey());
        assertTrue(base.withIdempotent().idempotent() && !base.idempotent());
        assertEquals(base.timeout(), base.withKey(1L).withIdempotent().withLane(Lane.NORMAL).timeout(), "other options are kept");
        // Keys 0..7 differ in their low bits only; spread, they still reach every one of 4 slots.
        final boolean[] hit = new boolean[4];
        for (long key = 0; key < 8; key++)
        {
            hit[(int)Long.remainderUnsigned(base.withKey(key).keyHash(), 4)] = true;
        }
        assertTrue(hit[0] && hit[1] && hit[2] && hit[3]);
    }
}
