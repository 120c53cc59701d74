package org.octgateway;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** What a webhook (a WireMock peer) received: the completed envelopes, by request_uuid. */
final class WebhookEnvelopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookEnvelopes() {
    }

    /** How many times the completed envelope of each request_uuid arrived at {@code path}. */
    static Map<String, Integer> completed(WireMockServer webhook, String path) {
        return webhook.findAll(postRequestedFor(urlPathEqualTo(path))).stream()
                .map(request -> {
                    try {
                        return JSON.readTree(request.getBodyAsString());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(envelope -> "completed".equals(envelope.path("status").asText()))
                .collect(Collectors.toMap(envelope -> envelope.path("request_uuid").asText(), envelope -> 1, Integer::sum,
                        TreeMap::new));
    }
}
