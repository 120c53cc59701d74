package org.octgateway.operations;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.octgateway.contract.ApiError;
import org.octgateway.contract.JsonAnswers;

/**
 * Stands before Jolokia on the management port and keeps web pages from driving it through an operator's browser:
 * only POST reaches Jolokia (405 otherwise: a link or an image tag cannot stop a route), and a request that carries
 * an Origin (or, lacking one, a Referer) must come from one of {@code gateway.management.allowed-origins}, e.g.
 * hawtio's (403 otherwise). Requests without either (curl, scripts, monitoring agents) are not browser requests and
 * pass; what they may do is limited by jolokia-access.xml and, off loopback, by the management credentials.
 * It then reads the body (at most {@link JolokiaRequestCheck#MAX_BODY_BYTES}) and refuses with a 400 what Jolokia could
 * not read as a request ({@link JolokiaRequestCheck}): Camel would answer Jolokia's exception with a 500.
 */
public class JolokiaGuard {

    /** Set by the guard on a request it passed on; the body check runs for those only. */
    private static final String BODY_TO_CHECK = JolokiaGuard.class.getName() + ".bodyToCheck";
    private final BodyHandler bodyReader = BodyHandler.create(false).setBodyLimit(JolokiaRequestCheck.MAX_BODY_BYTES);
    private final Set<String> allowedOrigins;

    /** @param allowedOrigins comma-separated origins, e.g. {@code http://localhost:8090,https://hawtio.clinic.example} */
    public JolokiaGuard(String allowedOrigins) {
        this.allowedOrigins = Arrays.stream(allowedOrigins.split(","))
                .map(String::trim).filter(origin -> !origin.isEmpty())
                .map(JolokiaGuard::normalized)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Puts the guard in front of Jolokia on the management server, before that server listens. Camel's authentication
     * hook is the one place whose handlers the server mounts before it accepts connections (routes added later, on a
     * started server, would leave a window at startup). Handlers for more specific paths run first there, so the guard
     * answers before the management credentials are checked; it only refuses or passes on. So does the body check: an
     * unauthenticated client can make the gateway read at most {@link JolokiaRequestCheck#MAX_BODY_BYTES} per request.
     *
     * @param context a CamelContext configured by camel-main but not started yet
     */
    public void installOn(CamelContext context) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || !server.isJolokiaEnabled()) {
            return; // no management server, or no Jolokia on it
        }
        String jolokiaPath = server.getJolokiaPath();
        AuthenticationConfig handlers = server.getConfiguration().getAuthenticationConfig();
        // Vert.x mounts these by the number of '/' in their paths, most first: the guard (path/*, Jolokia's own route
        // path) reads the body after its checks, then the body check (path*) sees the whole body.
        handlers.getEntries().add(handlerFor(jolokiaPath + "/*", this::check));
        handlers.getEntries().add(handlerFor(jolokiaPath + "*", JolokiaGuard::checkBody));
        handlers.setEnabled(true);
    }

    private static AuthenticationConfig.AuthenticationConfigEntry handlerFor(String path, AuthenticationHandler handler) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath(path);
        entry.setAuthenticationProviderFactory(vertx -> null); // the guard checks no credentials
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T unused) {
                return handler;
            }
        });
        return entry;
    }

    private void check(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.response().putHeader("Allow", "POST");
            refuse(ctx, new ApiError(405, "method_not_allowed",
                    "Jolokia accepts POST requests only (" + ctx.request().method() + " was sent)."));
            return;
        }
        String origin = browserOrigin(ctx);
        if (origin != null && !allowedOrigins.contains(origin)) {
            refuse(ctx, new ApiError(403, "origin_not_allowed", "Requests from the web origin " + origin
                    + " may not use Jolokia; allowed origins are set in gateway.management.allowed-origins."));
            return;
        }
        long declaredLength = declaredLength(ctx);
        if (declaredLength > JolokiaRequestCheck.MAX_BODY_BYTES) {
            refuse(ctx, JolokiaRequestCheck.tooLarge()); // refused before it is read
            return;
        }
        // Jolokia's route reads the body too, unless a body handler already did: this one, bounded, does it first
        ctx.put(BODY_TO_CHECK, Boolean.TRUE);
        bodyReader.handle(ctx);
    }

    /** Refuses a body Jolokia could not read (Camel would answer its exception with a 500), else passes it on. */
    private static void checkBody(RoutingContext ctx) {
        if (ctx.remove(BODY_TO_CHECK) == null) {
            ctx.next(); // not a request the guard passed to Jolokia's route (e.g. /observe/jolokiaX: no such route)
            return;
        }
        Buffer body = ctx.body().buffer();
        List<Map.Entry<String, String>> queryOptions;
        try {
            queryOptions = ctx.queryParams().entries(); // every value: Jolokia may take another than the last
        } catch (RuntimeException e) { // Vert.x cannot decode it
            refuse(ctx, new ApiError(400, "invalid_request", "The query string has a malformed percent-encoding."));
            return;
        }
        try {
            JolokiaRequestCheck.check(body == null ? null : body.getBytes(), queryOptions);
        } catch (ApiError refused) {
            refuse(ctx, refused);
            return;
        }
        ctx.next();
    }

    /** The Content-Length the client declared, -1 if none (chunked) or unreadable (Vert.x refuses that itself). */
    private static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The origin of the page that sent the request: its Origin header, else its Referer's; null if neither. */
    private static String browserOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin != null && !origin.isBlank()) {
            return normalized(origin);
        }
        String referer = ctx.request().getHeader("Referer");
        if (referer == null || referer.isBlank()) {
            return null;
        }
        try {
            URI page = URI.create(referer.trim());
            return page.getScheme() == null || page.getRawAuthority() == null ? "null"
                    : normalized(page.getScheme() + "://" + page.getRawAuthority());
        } catch (IllegalArgumentException e) {
            return "null"; // an unreadable Referer is no allowed origin
        }
    }

    /** Origins compare case-insensitively and without a trailing slash ("http://Localhost:8090/"). */
    private static String normalized(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static void refuse(RoutingContext ctx, ApiError error) {
        JsonAnswers.send(ctx, error);
    }
}
