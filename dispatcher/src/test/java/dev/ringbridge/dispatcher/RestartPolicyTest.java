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
}
