package org.octgateway.api;

import java.nio.file.Path;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.rest.openapi.RestOpenApiComponent;
import org.octgateway.PrivateDirectory;
import org.octgateway.metrics.GatewayMetrics;
import org.octgateway.queue.CallerBacklog;
import org.octgateway.queue.JobQueue;
import org.octgateway.queue.QueueHealth;
import org.octgateway.state.RequestStates;
import org.octgateway.storage.ResultPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: the business port's HTTP engine and guards (API keys, bytes in flight, upload clean-up, JSON for
 * the HTTP layer's own errors) and the acceptance steps the REST routes call.
 */
public class ApiConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApiConfiguration.class);

    /** REST consumers attach to the business port, whatever camel.server.port says (see BusinessPortHttpEngine). */
    @BindToRegistry(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME)
    public BusinessPortHttpEngine businessPortHttpEngine(@PropertyInject("camel.server.port") int businessPort) {
        return new BusinessPortHttpEngine(businessPort);
    }

    /** The REST contract: what GET /api-doc answers, and which paths the REST consumer routes. */
    @BindToRegistry
    public ApiDocument apiDocument(CamelContext context, @PropertyInject("gateway.api.specification") String specification) {
        return new ApiDocument(context, specification);
    }

    /** The business API's callers (see {@link #configure} for what startup says about them). */
    @BindToRegistry
    public Authentication authentication(@PropertyInject("gateway.api-keys") String apiKeys,
                                         @PropertyInject("gateway.api-keys-file") String apiKeysFile) {
        return new Authentication(ApiKeys.of(apiKeys, apiKeysFile));
    }

    @BindToRegistry(lazy = true)
    public Acceptance acceptance(JobQueue jobQueue, QueueHealth queueHealth, GatewayMetrics metrics,
                                 CallerBacklog callerBacklog, RequestStates requestStates) {
        return new Acceptance(jobQueue, queueHealth, metrics, callerBacklog, requestStates);
    }

    @BindToRegistry(lazy = true)
    public ExamListing examListing(ResultPaths resultPaths) {
        return new ExamListing(resultPaths);
    }

    /**
     * The contract-first REST consumer routes only paths written as the contract writes them (ExactPaths), and
     * answers what it routes nowhere with the JSON 404/405 (UnroutedRequests).
     * Ahead of the REST routes, once the business server exists: the API-key gate, the limit on request bodies in
     * flight and the clean-up of upload part files (UploadGuards), and JSON answers for the HTTP layer's errors.
     * Upload parts wait in an owner-only directory, emptied at startup.
     */
    @Override
    public void configure(CamelContext context) throws Exception {
        ApiDocument contract = context.getRegistry().findSingleByType(ApiDocument.class);
        context.getComponent("rest-openapi", RestOpenApiComponent.class).setRestOpenapiProcessorStrategy(
                new ExactPaths(context, contract));
        context.addRoutePolicyFactory(new UnroutedRequests(contract));
        announceCallers(context.getRegistry().findSingleByType(Authentication.class));
        int businessPort = Integer.parseInt(context.resolvePropertyPlaceholders("{{camel.server.port}}"));
        long maxBodySize = Long.parseLong(context.resolvePropertyPlaceholders("{{camel.server.maxBodySize}}"));
        long maxBytesInFlight = Long.parseLong(
                context.resolvePropertyPlaceholders("{{gateway.upload.max-bytes-in-flight}}"));
        PrivateDirectory.prepare(Path.of(context.resolvePropertyPlaceholders("{{camel.server.fileUploadDirectory}}")));
        context.addStartupListener(new UploadGuards(businessPort, context.getRegistry().findSingleByType(Authentication.class),
                new BytesInFlight(maxBytesInFlight, maxBodySize), maxBodySize));
        QueueHealth queueHealth = context.getRegistry().findSingleByType(QueueHealth.class);
        context.addStartupListener(new PingAnswer(businessPort, queueHealth));
        context.addStartupListener(new JsonHttpErrors(businessPort, queueHealth::isShuttingDown));
    }

    /** Without keys everyone is "anonymous", which startup says loudly (once: configure runs once per start). */
    private static void announceCallers(Authentication authentication) {
        if (authentication.callerNames().isEmpty()) {
            LOG.warn("*** NO API KEYS: the business API accepts ANY caller, all counted as '{}'. Name the callers and their "
                    + "keys in gateway.api-keys (caller-name:key,...) or gateway.api-keys-file before exposing the gateway. ***",
                    ApiKeys.ANONYMOUS);
        } else {
            LOG.info("Business API callers: {}", authentication.callerNames());
        }
    }
}
