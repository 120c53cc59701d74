package org.octgateway.operations;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.octgateway.api.ApiError;

/**
 * Stands before Jolokia on the management port and keeps web pages from driving it through an operator's browser:
 * only POST reaches Jolokia (405 otherwise: a link or an image tag cannot stop a route), and a request that carries
 * an Origin (or, lacking one, a Referer) must come from one of {@code gateway.management.allowed-origins}, e.g.
 * hawtio's (403 otherwise). Requests without either (curl, scripts, monitoring agents) are not browser requests and
 * pass; what they may do is limited by jolokia-access.xml and, off loopback, by the management credentials.
 */
public class JolokiaGuard implements StartupListener {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Set<String> allowedOrigins;
    private final AtomicBoolean installed = new AtomicBoolean();

    /** @param allowedOrigins comma-separated origins, e.g. {@code http://localhost:8090,https://hawtio.clinic.example} */
    public JolokiaGuard(String allowedOrigins) {
        this.allowedOrigins = Arrays.stream(allowedOrigins.split(","))
                .map(String::trim).filter(origin -> !origin.isEmpty())
                .map(JolokiaGuard::normalized)
                .collect(Collectors.toUnmodifiableSet());
    }

    // Installed as soon as the management server's router exists (before routes start), so no request reaches
    // Jolokia unguarded; onCamelContextFullyStarted covers a server that starts later.
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    private void install(CamelContext context) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || !server.isJolokiaEnabled() || server.getRouter() == null
                || !installed.compareAndSet(false, true)) {
            return; // no Jolokia, or already installed (these callbacks run again whenever a route starts later)
        }
        String jolokiaPath = server.getJolokiaPath();
        server.getRouter().route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (ctx.request().path().startsWith(jolokiaPath)) {
                check(ctx);
            } else {
                ctx.next();
            }
        });
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
        ctx.next();
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
        String body;
        try {
            body = JSON.writeValueAsString(error.body());
        } catch (JsonProcessingException e) {
            body = "{\"status\":\"error\",\"error\":\"" + error.code() + "\"}";
        }
        ctx.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/json").end(body);
    }
}
