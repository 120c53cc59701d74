package org.octgateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.octgateway.job.Job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Jobs carry their caller's name, and jobs queued before callers were named are still read. */
class JobRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aJobQueuedBeforeCallersWereNamedIsReadWithoutACaller() throws Exception {
        String older = "{\"requestUuid\":\"u-1\",\"endpoint\":\"invocations\",\"source\":\"upload\",\"filename\":\"scan.png\","
                + "\"webhookUrl\":\"http://hooks.example/x\",\"inferenceParameters\":\"{}\",\"acceptedAt\":1}";
        Job job = JSON.readValue(older, Job.class);
        assertEquals("u-1", job.requestUuid());
        assertNull(job.caller());
        assertEquals(0, job.deadlineAt(), "no deadline: the gateway's default TTL applies");
    }

    @Test
    void theCallerAndTheRequestsDeadlineTravelWithTheJob() throws Exception {
        Job job = new Job("u-2", "invocations", Job.UPLOAD, null, null, "scan.png", null, "http://hooks.example/x", "{}",
                null, null, 1L).accepted("ris-east", 60);
        Job read = JSON.readValue(JSON.writeValueAsString(job), Job.class);
        assertEquals("ris-east", read.caller());
        assertEquals(1L + 60_000, read.deadlineAt(), "accepted at 1, a TTL of 60 s");
        assertEquals(job, read);
    }
}
