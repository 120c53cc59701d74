package org.octgateway.delivery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signatures a Standard Webhooks / Svix receiver library verifies. */
class WebhookSignerTest {

    /** The test vector the Standard Webhooks reference libraries publish (secret, id, timestamp, body → signature). */
    @Test
    void signsThePublishedStandardWebhooksTestVectorExactly() {
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"));
    }

    @Test
    void anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String signature = signer.sign("msg_1", 1614265330L, "{\"a\":1}");
        assertNotEquals(signature, signer.sign("msg_2", 1614265330L, "{\"a\":1}"));
        assertNotEquals(signature, signer.sign("msg_1", 1614265331L, "{\"a\":1}"));
        assertNotEquals(signature, signer.sign("msg_1", 1614265330L, "{\"a\":2}"));
    }

    @Test
    void aPlainSecretIsUsedAsItsUtf8Bytes() {
        // a secret without the whsec_ prefix is not base64-decoded: it signs differently from the decoded form
        WebhookSigner plain = new WebhookSigner("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertTrue(plain.isEnabled());
        assertNotEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                plain.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"));
    }

    @Test
    void noSecretMeansNoSignature() {
        assertFalse(new WebhookSigner("").isEnabled());
        assertFalse(new WebhookSigner(null).isEnabled());
    }
}
