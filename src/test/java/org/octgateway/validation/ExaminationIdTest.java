package org.octgateway.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.octgateway.contract.ApiError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which Examination-ID values travel on to the model and the logs, and which are refused. */
class ExaminationIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"exam-42", "OD/2026-11-27 #3 (left)", "~!@$%^&*()_+{}|:\"<>?`-=[]\\;',./"})
    void printableAsciiPassesUnchanged(String id) {
        assertEquals(id, ExaminationId.validate(id));
    }

    @Test
    void absentOrBlankMeansNoId() {
        assertNull(ExaminationId.validate(null));
        assertNull(ExaminationId.validate("  "));
    }

    @Test
    void exactlyTheCapPassesOneMoreIsRefused() {
        assertEquals(128, ExaminationId.validate("x".repeat(ExaminationId.MAX_LENGTH)).length());

        ApiError error = assertThrows(ApiError.class, () -> ExaminationId.validate("x".repeat(ExaminationId.MAX_LENGTH + 1)));
        assertEquals(400, error.httpStatus());
        assertEquals("invalid_header", error.code());
        assertTrue(error.getMessage().contains("Examination-ID") && error.getMessage().contains("128"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"exam\n2026-11-27 INFO forged", "exam\r", "exam\u001b[31mred", "exam\u007f", "Müller",
            "exam\u0085next", "exam\u2028line", "\u00c3\u00bc"})
    void controlAndNonAsciiCharactersAreRefusedNamingTheHeader(String id) {
        ApiError error = assertThrows(ApiError.class, () -> ExaminationId.validate(id));

        assertEquals("invalid_header", error.code());
        assertTrue(error.getMessage().contains("Examination-ID") && error.getMessage().contains("ASCII"), error.getMessage());
    }
}
