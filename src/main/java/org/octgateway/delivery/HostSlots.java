package org.octgateway.delivery;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most {@code limit} deliveries under way per webhook host name, in this gateway instance. */
class HostSlots {

    private final int limit;
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

    HostSlots(int limit) {
        this.limit = limit;
    }

    /** Takes a slot for {@code host}, or throws {@link WebhookHostBusy} when all of its slots are taken. */
    String acquire(String host) throws WebhookHostBusy {
        String key = host.toLowerCase(Locale.ROOT);
        boolean[] granted = {false};
        inFlight.compute(key, (name, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limit) {
                return count;
            }
            granted[0] = true;
            return current + 1;
        });
        if (!granted[0]) {
            throw new WebhookHostBusy(limit);
        }
        return key;
    }

    void release(String key) {
        inFlight.computeIfPresent(key, (name, count) -> count <= 1 ? null : count - 1);
    }
}
