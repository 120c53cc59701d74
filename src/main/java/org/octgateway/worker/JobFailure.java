package org.octgateway.worker;

/** A job that cannot complete, with a reason fit to send to the caller's webhook. */
public class JobFailure extends RuntimeException {

    public JobFailure(String reason) {
        super(reason, null, false, false);
    }
}
