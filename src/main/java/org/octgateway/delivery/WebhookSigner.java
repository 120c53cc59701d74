package org.octgateway.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}.
 * A secret written as {@code whsec_<base64>} is used decoded, as Standard Webhooks libraries expect.
 */
public class WebhookSigner {

    private final byte[] key;

    public WebhookSigner(String secret) {
        if (secret == null || secret.isBlank()) {
            this.key = null;
        } else if (secret.startsWith("whsec_")) {
            this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        } else {
            this.key = secret.getBytes(StandardCharsets.UTF_8);
        }
    }

    public boolean isEnabled() {
        return key != null;
    }

    /** Now, in the seconds of the webhook-timestamp header. */
    public long timestamp() {
        return System.currentTimeMillis() / 1000;
    }

    /** The webhook-signature of a webhook request, as routes/delivery.yaml sets it when a secret is set. */
    public String signature(@Header("webhook-id") String id, @Header("webhook-timestamp") long timestampSeconds,
            @Body String body) {
        return sign(id, timestampSeconds, body);
    }

    public String sign(String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
