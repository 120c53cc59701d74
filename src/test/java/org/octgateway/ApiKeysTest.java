package org.octgateway;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.octgateway.api.ApiKeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gateway.api-keys / gateway.api-keys-file: parsing, matching a presented key to its caller, refusing bad entries. */
class ApiKeysTest {

    private static final String EAST_KEY = "east-0123456789abcdef";
    private static final String LAB_KEY = "lab-fedcba9876543210:with-colon";

    @Test
    void aPresentedKeyNamesItsCaller() {
        ApiKeys keys = ApiKeys.of("ris-east:" + EAST_KEY + ", pacs.lab_2:" + LAB_KEY, "");
        assertEquals(java.util.List.of("ris-east", "pacs.lab_2"), keys.callerNames());
        assertEquals("ris-east", keys.callerFor(EAST_KEY).orElseThrow());
        assertEquals("pacs.lab_2", keys.callerFor(LAB_KEY).orElseThrow(), "everything after the first ':' is the key");
        assertFalse(keys.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "east-0123456789abcde", "east-0123456789abcdef ", "EAST-0123456789ABCDEF", "ris-east"})
    void anyOtherKeyNamesNoCaller(String presented) {
        ApiKeys keys = ApiKeys.of("ris-east:" + EAST_KEY, null);
        assertTrue(keys.callerFor(presented).isEmpty(), presented);
        assertTrue(keys.callerFor(null).isEmpty());
    }

    @Test
    void noKeysMeansAnonymousCallers() {
        assertTrue(ApiKeys.of("", "").isEmpty());
        assertTrue(ApiKeys.of(" , ", null).isEmpty());
    }

    @Test
    void theFileAddsCallersOneALineWithComments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api-keys");
        Files.writeString(file, "# clinics\nris-east:" + EAST_KEY + "\n\n  pacs-lab:" + LAB_KEY + "  \n");
        ApiKeys keys = ApiKeys.of("triage:triage-0123456789abcdef", file.toString());
        assertEquals(java.util.List.of("triage", "ris-east", "pacs-lab"), keys.callerNames());
        assertEquals("pacs-lab", keys.callerFor(LAB_KEY).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "no-colon-0123456789abcdef",                                   // not name:key
            ":east-0123456789abcdef",                                      // no name
            "ris east:east-0123456789abcdef",                              // a space in the name
            "anonymous:east-0123456789abcdef",                             // the reserved name
            "ris-east:short-key",                                          // too short
            "ris-east:east-0123 456789abcdef",                             // a space in the key
            "a:east-0123456789abcdef,a:other-0123456789abcdef",            // a name twice
            "a:east-0123456789abcdef,b:east-0123456789abcdef"})            // a key twice
    void malformedEntriesStopStartupWithoutShowingTheKey(String setting) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ApiKeys.of(setting, ""));
        assertTrue(refused.getMessage().startsWith("API key entry "), refused.getMessage());
        assertFalse(refused.getMessage().contains("0123"), "the message must not show the key: " + refused.getMessage());
        assertFalse(refused.getMessage().contains("short-key"), refused.getMessage());
    }

    @Test
    void itsTextNamesCallersNotKeys() {
        String text = ApiKeys.of("ris-east:" + EAST_KEY, "").toString();
        assertTrue(text.contains("ris-east"), text);
        assertFalse(text.contains(EAST_KEY), text);
    }
}
