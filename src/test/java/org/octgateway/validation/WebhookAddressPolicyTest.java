package org.octgateway.validation;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each allow-list opens, and nothing more. */
class WebhookAddressPolicyTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aHostListedExactlyMayBeInternalButAWildcardMatchStillGetsTheAddressCheck() throws Exception {
        WebhookAddressPolicy policy = new WebhookAddressPolicy("hl7.hospital.example,*.clinic.example", "", -1);
        assertTrue(policy.refusal("hl7.hospital.example", ip("10.1.2.3"), 443).isEmpty());
        assertTrue(policy.refusal("evil.clinic.example", ip("10.1.2.3"), 443).isPresent(), "hostile record under an allowed domain");
        assertTrue(policy.allowsName("a.clinic.example") && policy.allowsName("clinic.example"));
        assertFalse(policy.allowsName("clinic.example.evil.com"));
        assertFalse(policy.allowsName("hooks.elsewhere.example"));
    }

    @Test
    void anAllowedSubnetOpensThatRangeOnly() throws Exception {
        WebhookAddressPolicy policy = new WebhookAddressPolicy("", "10.20.30.0/24,fd12::/64", -1);
        assertTrue(policy.refusal("h", ip("10.20.30.40"), 80).isEmpty());
        assertTrue(policy.refusal("h", ip("::ffff:10.20.30.40"), 80).isEmpty());
        assertTrue(policy.refusal("h", ip("fd12::5"), 80).isEmpty());
        assertTrue(policy.refusal("h", ip("10.20.31.1"), 80).isPresent());
        assertTrue(policy.refusal("h", ip("169.254.169.254"), 80).isPresent());
        assertTrue(policy.allowsName("anything.example"), "an empty host list allows any name");
    }

    @Test
    void theDemoOpensLoopbackOnTheBusinessPortOnly() throws Exception {
        WebhookAddressPolicy demo = new WebhookAddressPolicy("", "", 8080);
        assertTrue(demo.refusal("localhost", ip("127.0.0.1"), 8080).isEmpty());
        assertTrue(demo.refusal("localhost", ip("::1"), 8080).isEmpty());
        assertTrue(demo.refusal("localhost", ip("127.0.0.1"), 9876).isPresent(), "management port");
        assertTrue(demo.refusal("h", ip("10.0.0.1"), 8080).isPresent(), "only loopback");
    }

    @Test
    void publicAddressesPassInEverySpelling() throws Exception {
        WebhookAddressPolicy shipped = new WebhookAddressPolicy("", "", -1);
        for (String host : new String[] {"8.8.8.8", "134744072", "0x08080808", "[2606:4700:4700::1111]", "[::ffff:8.8.8.8]"}) {
            InetAddress address = IpAddresses.literal(host).orElseThrow();
            assertTrue(shipped.refusal(host, address, 443).isEmpty(), host + " -> " + address);
        }
    }
}
