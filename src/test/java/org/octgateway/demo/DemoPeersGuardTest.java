package org.octgateway.demo;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.octgateway.api.ApiError;

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
    }

    @Test
    void callerWithoutAnAddressIsRefused() {
        assertThrows(ApiError.class, () -> DemoRoutes.requireLoopbackCaller(new DefaultExchange(new DefaultCamelContext())));
    }

    private static Exchange callFrom(String host) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS, SocketAddress.inetSocketAddress(40000, host));
        return exchange;
    }
}
