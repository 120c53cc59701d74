package org.octgateway;

import org.junit.jupiter.api.Test;
import org.octgateway.queue.Admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JMS priority of a job falls by one each time its caller's backlog doubles. */
class AdmissionTest {

    @Test
    void aCallerWithNothingWaitingGetsTheHighestPriority() {
        assertEquals(9, new Admission("light", 1, 0).priority(0));
    }

    @Test
    void eachDoublingOfTheCallersBacklogCostsOneLevel() {
        Admission folder = new Admission("heavy", 1000, 0);
        assertEquals(8, folder.priority(1));
        assertEquals(8, folder.priority(2));
        assertEquals(7, folder.priority(3));
        assertEquals(7, folder.priority(6));
        assertEquals(6, folder.priority(7));
        assertEquals(1, folder.priority(510));
        assertEquals(0, folder.priority(511));
        assertEquals(0, folder.priority(999));
    }

    @Test
    void aLaterRequestContinuesFromTheCallersBacklog() {
        Admission next = new Admission("heavy", 2, 6);
        assertEquals(7, next.priority(0));
        assertEquals(6, next.priority(1));
        assertEquals(0, new Admission("heavy", 1, 2_000_000).priority(0));
    }
}
