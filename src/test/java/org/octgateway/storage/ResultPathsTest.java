package org.octgateway.storage;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where results are written: one result per input object, never shared by two objects. */
class ResultPathsTest {

    private static final String UUID = "6f1c0000-0000-0000-0000-000000000001";

    @Test
    void theResultKeepsTheInputNameWithItsExtension() {
        ResultPaths paths = new ResultPaths("results/{path}.json");

        assertEquals("results/exam-42/od/slice-001.png.json", paths.forInput("oct-input", "exam-42/od/slice-001.png", UUID));
        assertEquals("results/noextension.json", paths.forInput("oct-input", "noextension", UUID));
    }

    @Test
    void namesThatDifferOnlyInExtensionOrCaseGetDistinctResults() {
        ResultPaths paths = new ResultPaths("results/{path}.json");

        List<String> results = List.of("exam/scan.png", "exam/scan.PNG", "exam/scan.tiff", "exam/scan").stream()
                .map(name -> paths.forInput("oct-input", name, UUID)).toList();

        assertEquals(4, results.stream().distinct().count(), results.toString());
    }

    @Test
    void bucketAndRequestUuidPlaceholdersSeparateBucketsAndRuns() {
        ResultPaths byBucket = new ResultPaths("results/{bucket}/{path}.json");
        ResultPaths everyRun = new ResultPaths("results/{path}/{request_uuid}.json");

        assertEquals("results/site-a/exam/scan.png.json", byBucket.forInput("site-a", "exam/scan.png", UUID));
        assertEquals("results/exam/scan.png/" + UUID + ".json", everyRun.forInput("site-a", "exam/scan.png", UUID));
    }

    @Test
    void aTemplateWithoutPathIsRefusedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> new ResultPaths("results/{bucket}.json"));
    }

    @Test
    void severalInputBucketsWithoutABucketPlaceholderIsFlagged() {
        BucketEndpoint configuredOnly = BucketEndpoint.of("bucket_invocations", "local", "oct-input", "oct-results", "");
        BucketEndpoint two = BucketEndpoint.of("bucket_invocations", "local", "oct-input", "oct-results", "site-a,site-b");
        BucketEndpoint any = BucketEndpoint.of("bucket_invocations", "local", "oct-input", "oct-results", "*");

        assertFalse(new ResultPaths("results/{path}.json").warnIfBucketsCollide(configuredOnly));
        assertTrue(new ResultPaths("results/{path}.json").warnIfBucketsCollide(two));
        assertTrue(new ResultPaths("results/{path}.json").warnIfBucketsCollide(any));
        assertFalse(new ResultPaths("results/{bucket}/{path}.json").warnIfBucketsCollide(two));
    }

    @Test
    void anEmptyAllowListSettingMeansEachHeaderMayNameOnlyItsConfiguredBucket() {
        BucketEndpoint endpoint = BucketEndpoint.of("bucket_invocations", "local", "oct-input", "oct-results", "");

        assertTrue(endpoint.allowedInputBuckets().allows("oct-input"));
        assertFalse(endpoint.allowedInputBuckets().allows("oct-results"), "the output bucket is not an input");
        assertTrue(endpoint.allowedOutputBuckets().allows("oct-results"));
        assertFalse(endpoint.allowedOutputBuckets().allows("oct-input"));
        assertFalse(endpoint.allowedInputBuckets().allows("patients-all"));
    }
}
