package org.octgateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cloud provider without credentials makes only its own endpoint answer 503, naming the missing
 * setting; the rest of the gateway keeps working.
 */
class ProviderWithoutCredentialsTest extends GatewayTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.gcs.backend", "gcs");
        properties.setProperty("gateway.gcs.credentials", peers().dataDir.resolve("no-such-key.json").toString());
        properties.setProperty("gateway.azure.backend", "azure");
        properties.setProperty("gateway.azure.connection-string", "");
        properties.setProperty("gateway.s3.backend", "s3");
        properties.setProperty("gateway.s3.access-key", "");
        properties.setProperty("gateway.s3.secret-key", "");
        // The AWS default chain ends at the instance metadata service (a link-local address): never asked here.
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    @Test
    void s3EndpointAnswers503NamingTheKeySettings() {
        JsonNode error = refused503("/bucket_invocations_s3");

        assertTrue(error.path("message").asText().contains("gateway.s3.access-key"), error.toString());
    }

    @Test
    void gcsEndpointAnswers503NamingTheCredentialsSetting() {
        JsonNode error = refused503("/bucket_invocations");

        assertTrue(error.path("message").asText().contains("gateway.gcs.credentials"), error.toString());
    }

    @Test
    void azureEndpointAnswers503NamingTheConnectionStringSetting() {
        JsonNode error = refused503("/bucket_invocations_azure_uae");

        assertTrue(error.path("message").asText().contains("gateway.azure.connection-string"), error.toString());
    }

    @Test
    void theRestOfTheGatewayKeepsWorking() {
        assertEquals(200, get("/ping").statusCode());
        accepted(uploadImage("scan.png", "image/png", TestImages.png(5), Map.of("Webhook-Url", webhookUrl("/hooks/x"))));
    }

    /** Their SDKs load on first use (routes/storage-*.yaml's toD, ProviderClient): a provider not called costs no startup. */
    @Test
    void noCloudProvidersComponentIsCreatedBeforeItsFirstCall() {
        refused503("/bucket_invocations_azure_uae");

        for (String component : List.of("azure-storage-blob", "google-storage", "aws2-s3")) {
            assertNull(context.hasComponent(component), component);
        }
    }

    private JsonNode refused503(String endpoint) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway(endpoint))
                .header("Input-Location", "exam/").header("Webhook-Url", webhookUrl("/hooks/x"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(503, answer.statusCode(), answer.body());
        JsonNode body = json(answer.body());
        assertEquals("provider_unavailable", body.path("error").asText(), answer.body());
        return body;
    }
}
