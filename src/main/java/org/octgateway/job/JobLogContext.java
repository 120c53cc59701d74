package org.octgateway.job;

import java.util.Objects;

import org.slf4j.MDC;

/**
 * Tags log lines with a job's request_uuid and examination_id (MDC). A missing examination id is "-":
 * the text layout prints the tag only when both values are non-empty (log4j2.properties).
 */
public final class JobLogContext {

    public static final String REQUEST_UUID = "request_uuid";
    public static final String EXAMINATION_ID = "examination_id";

    private JobLogContext() {
    }

    public static void tag(String requestUuid, String examinationId) {
        MDC.put(REQUEST_UUID, requestUuid);
        MDC.put(EXAMINATION_ID, Objects.toString(examinationId, "-"));
    }

    public static void clear() {
        MDC.remove(REQUEST_UUID);
        MDC.remove(EXAMINATION_ID);
    }
}
