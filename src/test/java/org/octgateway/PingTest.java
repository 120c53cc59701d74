package org.octgateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PingTest extends GatewayTestSupport {

    @Test
    void pingAnswers200WhileTheQueueIsUp() {
        HttpResponse<String> ping = get("/ping");
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals("ok", json(ping.body()).path("status").asText());
    }

    /** /ping is answered on the HTTP server's event loop (api/PingAnswer): the same answer as the contract's route. */
    @Test
    void pingAnswersJsonWithoutTheRequestsHeadersAndDropsABody() {
        HttpResponse<String> ping = send(HttpRequest.newBuilder(gateway("/ping?probe=1")).header("X-Echo", "no")
                .method("GET", HttpRequest.BodyPublishers.ofString("ignored")));
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals("{\"status\":\"ok\"}", ping.body());
        assertEquals("application/json", ping.headers().firstValue("Content-Type").orElse(""));
        assertFalse(ping.headers().firstValue("X-Echo").isPresent(), "the request's headers are not answered back");
    }

    /** Only the path as the contract writes it: a trailing slash is another path (404), as GET /Ping is. */
    @Test
    void pingWithATrailingSlashIsAJson404() {
        HttpResponse<String> ping = get("/ping/");
        assertEquals(404, ping.statusCode(), ping.body());
        assertEquals("not_found", json(ping.body()).path("error").asText(), ping.body());
    }
}
