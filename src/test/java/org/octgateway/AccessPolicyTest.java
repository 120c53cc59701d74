package org.octgateway;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With allow-lists set, the gateway calls only the webhook hosts and reads only the buckets it is
 * allowed to: a request naming anything else is refused with 403 and nothing is queued.
 */
class AccessPolicyTest extends GatewayTestSupport {

    private static final String UPLOADS_ACCEPTED = "gateway_jobs_accepted_total{endpoint=\"invocations\"}";
    private static final String BUCKET_JOBS_ACCEPTED = "gateway_jobs_accepted_total{endpoint=\"bucket_invocations\"}";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("gateway.webhook.allowed-hosts", "localhost,*.clinic.example");
        properties.setProperty("gateway.gcs.backend", "local");
        properties.setProperty("gateway.local.root", peers().dataDir.resolve("buckets").toString());
        properties.setProperty("gateway.gcs.input-bucket", "exams-in");
        properties.setProperty("gateway.gcs.allowed-buckets", "exams-in,results-out");
    }

    @Test
    void webhookOnAHostOutsideTheAllowListIsRefusedWith403() {
        double acceptedBefore = metricOrZero(UPLOADS_ACCEPTED);

        HttpResponse<String> answer = uploadImage("scan.png", "image/png", TestImages.png(1),
                Map.of("Webhook-Url", "http://169.254.169.254/latest/meta-data"));

        assertEquals(403, answer.statusCode(), answer.body());
        JsonNode body = json(answer.body());
        assertEquals("webhook_host_not_allowed", body.path("error").asText());
        assertTrue(body.path("message").asText().contains("169.254.169.254"), answer.body());
        assertEquals(acceptedBefore, metricOrZero(UPLOADS_ACCEPTED), "nothing was queued");
    }

    @Test
    void webhookOnAnAllowedHostIsAccepted() {
        accepted(uploadImage("scan.png", "image/png", TestImages.png(2), Map.of("Webhook-Url", webhookUrl("/hooks/ok"))));
    }

    @Test
    void bucketOutsideTheAllowListIsRefusedWith403() throws Exception {
        Path other = peers().dataDir.resolve("buckets/patients-all/exam");
        Files.createDirectories(other);
        Files.write(other.resolve("a.png"), TestImages.png(3));
        double acceptedBefore = metricOrZero(BUCKET_JOBS_ACCEPTED);

        for (String header : new String[] {"Input-Bucket-Name", "Output-Bucket-Name"}) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway("/bucket_invocations"))
                    .header("Input-Location", "exam/").header("Webhook-Url", webhookUrl("/hooks/bucket"))
                    .header(header, "patients-all").POST(HttpRequest.BodyPublishers.noBody()));

            assertEquals(403, answer.statusCode(), answer.body());
            assertEquals("bucket_not_allowed", json(answer.body()).path("error").asText(), answer.body());
        }
        assertEquals(acceptedBefore, metricOrZero(BUCKET_JOBS_ACCEPTED), "nothing was queued");
    }

    /** A counter that has not counted anything yet is not exported at all. */
    private double metricOrZero(String series) {
        return metricValue(series).orElse(0.0);
    }
}
