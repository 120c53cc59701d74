package org.octgateway.job;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New request_uuids (and bucket request uuids): time-ordered UUIDs, RFC 9562 version 7. The first 48 bits are the
 * milliseconds since the epoch; 74 of the others (all but version and variant) come from a SecureRandom. A version-4
 * UUID has 122 random bits; 74 are still far too many to guess, and an id cannot be derived from another.
 * <p>
 * Why not {@link UUID#randomUUID()}: the state store keys its records by request_uuid (the primary key, and the
 * by-examination index that pages GET /examinations). A random id lands each new record on a random leaf of both
 * B-trees, and each commit of the embedded H2 rewrites every leaf it touched, with the path above it. Ids that grow
 * with time land on the leaves the previous records just wrote.
 */
public final class RequestUuids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestUuids() {
    }

    /** A new version-7 UUID, as text. */
    public static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long epochMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = (epochMillis << 16) | 0x7000L | ((random[0] & 0x0FL) << 8) | (random[1] & 0xFFL);
        long low = 0x8000_0000_0000_0000L | ((random[2] & 0x3FL) << 56);
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low).toString();
    }
}
