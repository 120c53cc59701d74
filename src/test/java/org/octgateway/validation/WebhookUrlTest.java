package org.octgateway.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.octgateway.contract.ApiError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Webhook-Url header: what is accepted, and what is refused with which answer (no network involved). */
class WebhookUrlTest {

    /** Only hosts under example.org may be called; numeric addresses below are checked without DNS. */
    private final WebhookAddressPolicy policy = new WebhookAddressPolicy("*.example.org,8.8.8.8", "", -1);

    @Test
    void aPublicHttpsUrlOnAnAllowedHostIsAccepted() {
        assertEquals("https://8.8.8.8:8443/hooks/oct?token=abc",
                WebhookUrl.validate("https://8.8.8.8:8443/hooks/oct?token=abc", policy));
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "ftp://8.8.8.8/hook                | 400 | invalid_header",
            "/relative/hook                    | 400 | invalid_header",
            "https://8.8.8.8/hook#part         | 400 | invalid_header",
            "https://user:pass@8.8.8.8/hook    | 400 | invalid_header",
            "https://8.8.8.8:0/hook            | 400 | invalid_header",
            "https://8.8.8.8:65536/hook        | 400 | invalid_header",
            "https://[::1/hook                 | 400 | invalid_header",
            "https://evil.example.com/hook     | 403 | webhook_host_not_allowed",
            "http://127.0.0.1/hook             | 403 | webhook_host_not_allowed",
    })
    void badUrlsAreRefusedWithTheAnswerNamingWhy(String url, int status, String code) {
        ApiError error = assertThrows(ApiError.class, () -> WebhookUrl.validate(url.strip(), policy));
        assertEquals(status, error.httpStatus(), error.getMessage());
        assertEquals(code, error.code(), error.getMessage());
        assertTrue(error.getMessage().contains("Webhook-Url"), "the message names the header: " + error.getMessage());
    }

    @Test
    void anInternalAddressIsRefusedEvenOnAnAllowedPattern() {
        WebhookAddressPolicy anyHost = new WebhookAddressPolicy("", "", -1);
        ApiError error = assertThrows(ApiError.class, () -> WebhookUrl.validate("http://169.254.169.254/latest", anyHost));
        assertEquals(403, error.httpStatus());
        assertEquals("webhook_address_not_allowed", error.code());
    }

    @Test
    void aMissingHeaderIsNamed() {
        ApiError error = assertThrows(ApiError.class, () -> WebhookUrl.validate(null, policy));
        assertEquals(400, error.httpStatus());
        assertEquals("missing_header", error.code());
    }
}
