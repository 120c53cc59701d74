package org.octgateway.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** request_uuids are RFC 9562 version-7 UUIDs: standard UUIDs to callers, in acceptance order to the state store. */
class RequestUuidsTest {

    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecond() {
        long millis = 1_795_000_000_123L;
        UUID id = UUID.fromString(RequestUuids.next(millis));
        assertEquals(7, id.version());
        assertEquals(2, id.variant()); // RFC 4122/9562 variant, as a version-4 UUID's
        assertEquals(millis, id.getMostSignificantBits() >>> 16);
        assertEquals(36, id.toString().length());
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsText() {
        long millis = 1_795_000_000_000L;
        String previous = RequestUuids.next(millis);
        for (int i = 1; i <= 10_000; i++) {
            String next = RequestUuids.next(millis + i);
            assertTrue(next.compareTo(previous) > 0, next + " sorts before " + previous);
            previous = next;
        }
    }

    @Test
    void idsOfTheSameMillisecondDifferInTheirRandomBits() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RequestUuids.next(1_795_000_000_000L));
        }
        assertEquals(100_000, ids.size());
    }
}
