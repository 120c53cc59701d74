package org.octgateway.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery as the delivery and dead-letter queues keep it (message property GatewayDelivery): its field names are
 * what queued messages of one version say to the next, and what operators read in hawtio.
 */
class DeliveryTest {

    private static final Job JOB = new Job("uuid-1", "invocations", Job.UPLOAD, null, null, "scan.png", "exam-9",
            "https://hooks.example/in?token=t", "{}", null, null, 0L, "ris", 0L);

    @Test
    void aJobsFirstDeliveryCarriesItsWebhookUrlUnderTheNameWebhookUrl() throws Exception {
        JsonNode queued = new ObjectMapper().readTree(Delivery.firstAttemptOf(JOB).json());
        assertEquals("https://hooks.example/in?token=t", queued.path("webhookUrl").asText());
        assertEquals("uuid-1", queued.path("requestUuid").asText());
        assertEquals("exam-9", queued.path("examinationId").asText());
        assertEquals(1, queued.path("attempt").asInt());
        assertTrue(queued.path("noFolder").asBoolean(), "an upload is of no exam folder");
        assertEquals(5, queued.size(), queued.toString());
    }

    @Test
    void theNextAttemptCountsOnAndAReplayStartsAgainAtOne() {
        Delivery third = Delivery.firstAttemptOf(JOB).nextAttempt().nextAttempt();
        assertEquals(3, third.attempt());
        assertEquals(new Delivery(JOB.webhookUrl(), "uuid-1", "exam-9", 1, true), third.firstAttempt());
    }

    @Test
    void onlyAnUploadIsKnownToBeOfNoFolderAndADeliveryQueuedWithoutTheFieldMayBeOfOne() {
        Job bucketJob = new Job("uuid-3", "bucket", "s3", "in", "exam/a.png", "a.png", "exam-9", JOB.webhookUrl(), "{}", null,
                null, 0L, "ris", 0L);
        assertFalse(Delivery.firstAttemptOf(bucketJob).noFolder(), "a bucket job may be one of a folder's images");
        assertTrue(Delivery.firstAttemptOf(JOB).nextAttempt().noFolder());
        assertFalse(Delivery.fromJson("{\"webhookUrl\":\"https://hooks.example/x\",\"requestUuid\":\"uuid-2\",\"attempt\":2}")
                .noFolder(), "queued by an earlier version: its exam countdown is looked up");
    }

    @Test
    void aQueuedDeliveryReadsBackAsItWasAndFieldsOfANewerVersionAreIgnored() {
        Delivery delivery = new Delivery("https://hooks.example/x", "uuid-2", null, 5);
        assertEquals(delivery, Delivery.fromJson(delivery.json()));
        assertEquals(delivery, Delivery.fromJson(
                "{\"webhookUrl\":\"https://hooks.example/x\",\"requestUuid\":\"uuid-2\",\"attempt\":5,\"priority\":\"high\"}"));
    }

    @Test
    void aPropertyThatIsNotADeliveryIsRefusedWithTheReason() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Delivery.fromJson("{not json"));
        assertTrue(refused.getMessage().startsWith("not a queued delivery"), refused.getMessage());
    }
}
