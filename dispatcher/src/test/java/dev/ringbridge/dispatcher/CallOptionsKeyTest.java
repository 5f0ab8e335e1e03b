package dev.ringbridge.dispatcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing keys and idempotence in {@link CallOptions}: what the pool routes by. */
class CallOptionsKeyTest
{
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

    /**
     * A long key is spread by MurmurHash3's 64-bit finalizer (fmix64); these values come from a reference
     * implementation of it. A weaker mix would still route, but keys that differ in high bits only would share a slot.
     */
    @Test
    void shouldSpreadLongKeysWithMurmurHash3sFinalizer()
    {
        final CallOptions base = CallOptions.defaults();
        assertEquals(-5451962507482445012L, base.withKey(1L).keyHash());
        assertEquals(4233148493373801447L, base.withKey(2L).keyHash());
        assertEquals(-9148929187392628276L, base.withKey(42L).keyHash());
        assertEquals(7256831767414464289L, base.withKey(-1L).keyHash());
        assertEquals(-1725051079500877066L, base.withKey(1L << 40).keyHash());
    }
}
