package org.octgateway.demo;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.octgateway.contract.ApiError;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The demo peers keep results, so they answer this machine only, even when gateway.demo.enabled is left on
 * in a deployment. (Callers from other hosts cannot be made here: this machine sends to loopback only; the
 * loopback path is exercised over HTTP by every demo round trip.)
 */
class DemoPeersGuardTest {

    @Test
    void callerOnAnotherHostIsRefusedWith403() {
        ApiError refused = assertThrows(ApiError.class, () -> DemoRoutes.requireLoopbackCaller(callFrom("10.20.30.40")));

        assertEquals(403, refused.httpStatus());
        assertEquals("demo_local_only", refused.code());
    }

    @Test
    void callerOnThisMachineIsServed() {
        assertDoesNotThrow(() -> DemoRoutes.requireLoopbackCaller(callFrom("127.0.0.1")));
        assertDoesNotThrow(() -> DemoRoutes.requireLoopbackCaller(callFrom("::1")));
        assertDoesNotThrow(() -> DemoRoutes.requireLoopbackCaller(callFrom("127.0.0.1", "127.0.0.1:8080")));
        assertDoesNotThrow(() -> DemoRoutes.requireLoopbackCaller(callFrom("::1", "[::1]:8080")));
    }

    @Test
    void loopbackCallerAskingForAnotherHostIsRefused() {
        // a page whose DNS name was rebound to 127.0.0.1 still sends its own name in Host
        assertThrows(ApiError.class, () -> DemoRoutes.requireLoopbackCaller(callFrom("127.0.0.1", "attacker.example:8080")));
        assertThrows(ApiError.class, () -> DemoRoutes.requireLoopbackCaller(callFrom("127.0.0.1", null)));
    }

    @Test
    void loopbackCallerBehindAReverseProxyIsRefused() {
        Exchange proxied = callFrom("127.0.0.1");
        proxied.getMessage().setHeader("X-Forwarded-For", "203.0.113.7");
        assertThrows(ApiError.class, () -> DemoRoutes.requireLoopbackCaller(proxied));
        Exchange forwarded = callFrom("127.0.0.1");
        forwarded.getMessage().setHeader("Forwarded", "for=203.0.113.7");
        assertThrows(ApiError.class, () -> DemoRoutes.requireLoopbackCaller(forwarded));
    }

    @Test
    void callerWithoutAnAddressIsRefused() {
        assertThrows(ApiError.class, () -> DemoRoutes.requireLoopbackCaller(new DefaultExchange(new DefaultCamelContext())));
    }

    private static Exchange callFrom(String host) {
        return callFrom(host, "localhost:8080");
    }

    private static Exchange callFrom(String host, String hostHeader) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS, SocketAddress.inetSocketAddress(40000, host));
        exchange.getMessage().setHeader("Host", hostHeader);
        return exchange;
    }
}
