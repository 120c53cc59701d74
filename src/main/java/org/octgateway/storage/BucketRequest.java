package org.octgateway.storage;

/**
 * A validated bucket request: where the exam is and where results go.
 *
 * @param endpoint     the endpoint that received it
 * @param inputBucket  bucket / container holding the exam
 * @param location     Input-Location: an object name or a folder prefix (without its trailing slash)
 * @param folder       whether Input-Location ended with a slash (then it is a folder for sure)
 * @param outputBucket bucket / container results are written to
 * @param writeResult  Write-To-GCS: whether results are written to the output bucket
 */
public record BucketRequest(
        BucketEndpoint endpoint, String inputBucket, String location, boolean folder, String outputBucket,
        boolean writeResult) {

    /**
     * What the provider lists: a folder under "folder/", so that "exam-1/" does not also list "exam-10/"; a bare
     * name may be an object or a folder.
     */
    public String listingPrefix() {
        return folder ? location + "/" : location;
    }
}
