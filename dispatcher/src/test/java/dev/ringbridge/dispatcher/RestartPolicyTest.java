package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void shouldNameWhatItRefuses()
    {
        assertEquals("maxRestarts must not be negative, was -1",
            assertThrows(IllegalArgumentException.class, () -> RestartPolicy.of(-1, Duration.ofMinutes(1))).getMessage());
        assertEquals("window must be positive, was PT-1S",
            assertThrows(IllegalArgumentException.class, () -> RestartPolicy.of(1, Duration.ofSeconds(-1))).getMessage());
        assertEquals("window must not be null", assertThrows(NullPointerException.class, () -> RestartPolicy.of(1, null)).getMessage());
        assertEquals("backoff must satisfy 0 <= initial <= max, was PT-0.001S and PT1S", assertThrows(IllegalArgumentException.class,
            () -> RestartPolicy.defaults().withBackoff(Duration.ofMillis(-1), Duration.ofSeconds(1))).getMessage());
        assertThrows(NullPointerException.class, () -> RestartPolicy.defaults().withBackoff(null, Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> RestartPolicy.defaults().withBackoff(Duration.ZERO, null));
    }

    @Test
    void shouldKeepItsBudgetAndWindowAcrossABackoffChange()
    {
        final RestartPolicy policy = RestartPolicy.of(0, Duration.ofSeconds(30)).withBackoff(Duration.ZERO, Duration.ZERO);
        assertEquals(0, policy.maxRestarts(), "zero restarts is a valid budget");
        assertEquals(Duration.ofSeconds(30), policy.window());
        assertEquals(0, policy.backoffNanos(3), "no backoff at all");
        assertEquals(5, RestartPolicy.defaults().maxRestarts());
        assertEquals(Duration.ofMinutes(1), RestartPolicy.defaults().window());
        assertEquals(Duration.ofMillis(10).toNanos(), RestartPolicy.defaults().backoffNanos(1), "the default first backoff");
        assertEquals(Duration.ofSeconds(1).toNanos(), RestartPolicy.defaults().backoffNanos(62), "and its cap");
        assertEquals(Duration.ofMinutes(1), RestartPolicy.never().window());
        final RestartPolicy equalBounds = RestartPolicy.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(5));
        assertEquals(Duration.ofMillis(5).toNanos(), equalBounds.backoffNanos(2));
    }
}
