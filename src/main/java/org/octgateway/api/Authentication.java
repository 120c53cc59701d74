package org.octgateway.api;

import java.util.List;
import java.util.Map;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.octgateway.contract.ApiError;
import org.octgateway.contract.JsonAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of every business endpoint: who is calling. The key comes as {@code Authorization: Bearer <key>}
 * or {@code X-API-Key: <key>}; the caller's NAME (never the key) is left on the exchange for the job records, logs
 * and quotas. Both headers are removed at once, so the key travels no further and is never logged.
 * With no key configured every request is {@link ApiKeys#ANONYMOUS} (startup warns about it).
 */
public class Authentication {

    public static final String AUTHORIZATION = "Authorization";
    public static final String API_KEY = "X-API-Key";

    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
    private static final String BEARER = "bearer ";
    /** Where the demo peers are served (DemoRoutes): the gateway calls them itself, without a key. */
    private static final String DEMO_PEERS_PATH = "/demo/";

    private final ApiKeys apiKeys;

    public Authentication(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** The configured callers' names; empty when no key is configured (everyone is anonymous). */
    public List<String> callerNames() {
        return apiKeys.callerNames();
    }

    /**
     * The same check on the HTTP server, before a request's body is read: an unknown caller's upload takes no disk
     * and none of the bytes in flight ({@link BytesInFlight}) that known callers' uploads need. Every request with a
     * body is checked, but those to the demo peers (the gateway's own calls; they answer this machine only).
     */
    Handler<RoutingContext> beforeTheBody() {
        return ctx -> {
            HttpServerRequest request = ctx.request();
            if (apiKeys.isEmpty() || !BytesInFlight.hasBody(request) || request.path().startsWith(DEMO_PEERS_PATH)) {
                ctx.next();
                return;
            }
            try {
                callerOf(request.getHeader(AUTHORIZATION), request.getHeader(API_KEY));
            } catch (ApiError refused) {
                JsonAnswers.refuseUnread(ctx, refused);
                return;
            }
            ctx.next();
        };
    }

    /**
     * The caller whose key the request's Authorization (Bearer) or X-API-Key header presents, {@link ApiKeys#ANONYMOUS}
     * without keys configured, or a 401.
     */
    public String callerOf(String authorization, String apiKey) {
        if (apiKeys.isEmpty()) {
            return ApiKeys.ANONYMOUS;
        }
        String presented = presentedKey(authorization, apiKey);
        if (presented == null) {
            LOG.debug("Refused a request without an API key");
            throw unauthorized("An API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.");
        }
        return apiKeys.callerFor(presented).orElseThrow(() -> {
            LOG.debug("Refused a request with an unknown API key");
            return unauthorized("The API key is not valid.");
        });
    }

    /** The key of a Bearer Authorization header, else of X-API-Key; null when neither carries one. */
    static String presentedKey(String authorization, String apiKey) {
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).strip();
        }
        return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    private static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, Map.of("WWW-Authenticate", "Bearer"));
    }
}
