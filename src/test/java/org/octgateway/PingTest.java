package org.octgateway;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PingTest extends GatewayTestSupport {

    @Test
    void pingAnswers200WhileTheQueueIsUp() {
        HttpResponse<String> ping = get("/ping");
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals("ok", json(ping.body()).path("status").asText());
    }
}
