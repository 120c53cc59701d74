package org.octgateway.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.octgateway.storage.BucketRequest;
import org.octgateway.storage.BucketRequests;
import org.octgateway.storage.ResultPaths;
import org.octgateway.contract.ApiError;
import org.octgateway.job.Job;
import org.octgateway.job.RequestUuids;
import org.octgateway.validation.ImageType;
import org.octgateway.validation.JobRequest;
import org.octgateway.validation.RequestValidator;

/**
 * Splits a provider's listing into jobs: the object itself when Input-Location names one, otherwise
 * every image under the folder, recursively, in sorted order; folder placeholders and names that are
 * not images are skipped. Only names are held, never bytes.
 */
public class ExamListing {

    /**
     * The jobs of one bucket request, in the order they are answered.
     *
     * @param folder whether Input-Location named a folder (the answer holds arrays) rather than one object (scalars)
     */
    public record ExamJobs(List<Job> jobs, boolean folder) {
    }

    private final ResultPaths resultPaths;

    public ExamListing(ResultPaths resultPaths) {
        this.resultPaths = resultPaths;
    }

    /** One job per image of the provider's listing (plain object names); 404 when there is none. */
    public ExamJobs jobs(@ExchangeProperty(BucketRequests.BUCKET_REQUEST) BucketRequest request,
                         @ExchangeProperty(RequestValidator.JOB_REQUEST) JobRequest jobRequest,
                         @Body Collection<?> listing) {
        List<String> names = listing == null ? List.of() : listing.stream().map(String::valueOf).toList();

        boolean singleObject = !request.folder() && names.contains(request.location());
        List<String> images = singleObject ? List.of(request.location()) : imagesUnder(names, request.location());
        if (images.isEmpty()) {
            throw new ApiError(404, "not_found", "No image found at " + request.endpoint().provider() + " bucket '"
                    + request.inputBucket() + "', Input-Location '" + request.location() + "'.");
        }

        long now = System.currentTimeMillis();
        List<Job> jobs = new ArrayList<>(images.size());
        for (String objectName : images) {
            String requestUuid = RequestUuids.next();
            jobs.add(new Job(requestUuid, request.endpoint().name(), request.endpoint().provider(),
                    request.inputBucket(), objectName, objectName, jobRequest.examinationId(), jobRequest.webhookUrl(),
                    jobRequest.inferenceParameters(), request.writeResult() ? request.outputBucket() : null,
                    request.writeResult() ? resultPaths.forInput(request.inputBucket(), objectName, requestUuid) : null,
                    now));
        }
        return new ExamJobs(jobs, !singleObject);
    }

    private static List<String> imagesUnder(List<String> names, String location) {
        String prefix = location.isEmpty() ? "" : location + "/";
        return names.stream()
                .filter(name -> name.startsWith(prefix) && !name.endsWith("/"))
                .filter(ImageType::hasImageExtension)
                .sorted()
                .toList();
    }
}
