package org.octgateway.worker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.TypeConverter;
import org.octgateway.job.MessageNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a job's image on disk while the worker holds the job, not on the heap: the image is written once to a
 * spool file (an owner-only directory), the inference call streams that file, every retry re-sends it, and the
 * file is deleted when the job ends (completed, failed, or rolled back to the queue). A job waiting minutes for
 * an inference retry thus costs a file, not its image's size in memory.
 * <p>
 * An upload below Artemis' large-message size is the exception: its bytes are on the heap anyway, in the job's
 * message the worker holds, so they are passed as they are (a file written and read back per job cost more CPU).
 */
public class JobSpool {

    /**
     * Artemis: setting this property of a received BytesMessage to an OutputStream writes the body into it, chunk
     * by chunk for a large message. Reading the body through the JMS API instead would load all of it first.
     */
    static final String ARTEMIS_SAVE_BODY_TO_STREAM = "JMS_AMQ_SaveStream";
    private static final Logger LOG = LoggerFactory.getLogger(JobSpool.class);

    private final Path directory;

    /** @param directory an owner-only directory (see PrivateDirectory) */
    public JobSpool(Path directory) {
        this.directory = directory;
    }

    /**
     * The image of a job as the worker holds it until the job ends: the bytes of an upload whose message holds them in
     * memory anyway, else a spool file, from the queued message of a larger upload (camel-jms with
     * mapJmsMessage=false) or the bytes or stream a storage provider answered. The worker route deletes the file when
     * the job ends ({@link #delete}); a file that could not be filled is deleted here.
     */
    public Object spool(@Body Object image, TypeConverter converter) throws IOException, JMSException {
        if (image instanceof BytesMessage queued && queued.getBodyLength() < MessageNames.IN_MESSAGE_IMAGE_BYTES) {
            byte[] bytes = new byte[(int) queued.getBodyLength()];
            queued.readBytes(bytes);
            return bytes;
        }
        Path file = Files.createTempFile(directory, "job-", ".image");
        try (OutputStream out = Files.newOutputStream(file)) {
            if (image instanceof jakarta.jms.Message queued) {
                queued.setObjectProperty(ARTEMIS_SAVE_BODY_TO_STREAM, out);
            } else if (image != null) {
                try (InputStream in = converter.mandatoryConvertTo(InputStream.class, image)) {
                    in.transferTo(out);
                }
            }
        } catch (NoTypeConversionAvailableException e) {
            delete(file);
            throw new IOException("the image cannot be read as a stream: " + e.getMessage(), e);
        } catch (IOException | JMSException | RuntimeException e) {
            delete(file);
            throw e;
        }
        return file.toFile();
    }

    /** The job has ended (completed, failed, or rolled back to the queue): its spool file goes. */
    public void delete(@ExchangeProperty(WorkerRoutes.IMAGE) Object image) {
        if (image instanceof File file) {
            delete(file.toPath());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the spooled image {}: {}", file, e.toString());
        }
    }
}
