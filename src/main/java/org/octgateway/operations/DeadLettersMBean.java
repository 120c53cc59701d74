package org.octgateway.operations;

/** The JMX interface of {@link DeadLetters}. */
public interface DeadLettersMBean {

    /** Messages in the dead-letter queue. */
    long getCount();

    /** Moves every dead letter back to its queue; answers how many moved. */
    int replayDeadLetters() throws Exception;
}
