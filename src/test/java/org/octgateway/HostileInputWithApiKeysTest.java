package org.octgateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.octgateway.HostileCase.Expect;
import org.octgateway.HostileCase.Port;
import org.octgateway.HostileCase.Shape;
import org.octgateway.RawHttp.Request;


/**
 * The hostile-input table's authentication class, on a gateway with API keys set ({@code gateway.api-keys}): a
 * request without a key, with a wrong key or a malformed Authorization header gets 401 (JSON) on every POST
 * endpoint, whatever else it carries; {@code /ping} needs no key. Only refusals are tested, so the suite does not
 * depend on how a key is spelled in the setting beyond "caller:key".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputWithApiKeysTest extends HostileGatewayTest {

    static final String CALLER = "hostile-clinic";
    static final String KEY = "hk_7Qm2vX9pL4sT8wZ1cR6yB3nF5gJ0dHaE";
    static final String SOME_UUID = "3f0e1c7a-1111-4222-8333-444455556666";

    @Override
    protected void moreProperties(Properties properties) {
        properties.setProperty("gateway.api-keys", CALLER + ":" + KEY);
    }

    List<HostileCase> hostileInputs() {
        Map<String, Map<String, Object>> credentials = new LinkedHashMap<>();
        credentials.put("no key", h());
        credentials.put("a wrong Bearer key", h("Authorization", "Bearer hk_wrong_wrong_wrong_wrong_wrong_wron"));
        credentials.put("a wrong X-API-Key", h("X-API-Key", "hk_wrong_wrong_wrong_wrong_wrong_wron"));
        credentials.put("the key plus one character", h("Authorization", "Bearer " + KEY + "x"));
        credentials.put("the key minus its last character", h("Authorization", "Bearer " + KEY.substring(0, KEY.length() - 1)));
        credentials.put("the caller's name as the key", h("X-API-Key", CALLER));
        credentials.put("Basic credentials", h("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((CALLER + ":" + "guess").getBytes(StandardCharsets.UTF_8))));
        credentials.put("an empty Bearer", h("Authorization", "Bearer"));
        credentials.put("a Bearer of spaces", h("Authorization", "Bearer    "));
        credentials.put("Bearer glued to a wrong key", h("Authorization", "Bearerhk_wrong"));
        credentials.put("an unknown scheme", h("Authorization", "Token hk_wrong"));
        credentials.put("a 4 KB key", h("Authorization", "Bearer " + "k".repeat(4096)));
        credentials.put("an empty X-API-Key", h("X-API-Key", ""));
        credentials.put("a wrong key with a non-ASCII character", h("X-API-Key", "hk_wröng"));
        List<HostileCase> table = new ArrayList<>();
        table.add(new HostileCase("auth", "GET /ping without a key", Port.BUSINESS, Request.get("/ping"), Expect.of(Shape.PING_OK)));
        Expect unauthorized = Expect.error(Set.of(401));
        credentials.forEach((what, headers) -> {
            table.add(new HostileCase("auth", "POST /invocations with " + what, Port.BUSINESS,
                    upload(headers), unauthorized));
            for (String endpoint : BUCKET_ENDPOINTS) {
                table.add(new HostileCase("auth", "POST " + endpoint + " with " + what, Port.BUSINESS,
                        bucket(endpoint, headers), unauthorized));
            }
            // the state of requests is the caller's too
            for (String[] state : List.of(new String[] {"GET", "/requests/" + SOME_UUID},
                    new String[] {"DELETE", "/requests/" + SOME_UUID}, new String[] {"GET", "/examinations/exam-42"})) {
                table.add(new HostileCase("auth", state[0] + " " + state[1] + " with " + what, Port.BUSINESS,
                        plain(state[0], state[1], headers), unauthorized));
            }
        });
        // Two Authorization headers, both wrong: neither may be picked as "good enough".
        for (String endpoint : List.of("/invocations", "/bucket_invocations", "/bucket_invocations_azure_uae")) {
            Request twice = endpoint.equals("/invocations") ? upload(h()) : bucket(endpoint, h());
            table.add(new HostileCase("auth", "POST " + endpoint + " with two wrong Authorization headers", Port.BUSINESS,
                    twice.header("Authorization", "Bearer hk_wrong_1").header("Authorization", "Bearer hk_wrong_2"), unauthorized));
        }
        return table;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    @Order(1)
    void requestWithoutAValidKeyIsRefused(HostileCase hostile) throws IOException {
        sendAndCheck(hostile, List.of(KEY, SYSTEM_PROPERTY_SECRET, WEBHOOK_SECRET));
    }

    @Test
    @Order(2)
    void gatewayIsHealthyAfterTheRefusals() throws IOException {
        assertHealthy();
    }
}
