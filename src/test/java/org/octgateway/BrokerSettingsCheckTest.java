package org.octgateway;

import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.octgateway.queue.BrokerContract;
import org.octgateway.queue.BrokerSettingsCheck;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker contract, enforced: a broker as Artemis ships it is found to differ, setting by setting, with a WARN
 * naming each and the fix, or a refusal to start when settings are required; a broker with the contract passes; and
 * deploy/broker.xml, which operators paste into their broker, says the same as the contract.
 */
class BrokerSettingsCheckTest {

    private static final BrokerContract CONTRACT = new BrokerContract("gateway.dead-letters");
    private static final List<String> QUEUES = List.of("gateway.jobs", "gateway.deliveries", "gateway.dead-letters");

    @Test
    void aBrokerWithArtemisDefaultsIsWarnedAboutNamingEachSettingAndTheFix() throws Exception {
        try (TcpBroker broker = new TcpBroker(null).start();
             ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(broker.url());
             CapturedLog log = new CapturedLog(BrokerSettingsCheck.class.getName())) {
            BrokerSettingsCheck check = new BrokerSettingsCheck(connections, CONTRACT, QUEUES, false);
            List<String> differences = check.differences();
            for (String setting : List.of("dead-letter-address is not set", "redelivery-delay is not set", "max-delivery-attempts",
                    "redelivery-delay-multiplier", "max-redelivery-delay", "expiry-address", "auto-delete-queues")) {
                assertTrue(differences.stream().anyMatch(d -> d.startsWith(setting)), setting + " in " + differences);
            }
            assertTrue(differences.get(0).contains("for gateway.jobs, gateway.deliveries, gateway.dead-letters"), differences.get(0));

            check.start(); // the gateway starts all the same, saying what to fix
            String warnings = log.text();
            assertTrue(warnings.contains("WARN"), warnings);
            assertTrue(warnings.contains("redelivery-delay is not set (Artemis' default applies) for gateway.jobs"), warnings);
            assertTrue(warnings.contains("the gateway needs 2000"), warnings);
            assertTrue(warnings.contains("deploy/broker.xml"), warnings);
        }
    }

    @Test
    void requiredSettingsThatDifferStopTheStart() throws Exception {
        try (TcpBroker broker = new TcpBroker(null).start();
             ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(broker.url())) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new BrokerSettingsCheck(connections, CONTRACT, QUEUES, true).start());
            assertTrue(refused.getMessage().contains("dead-letter-address is not set"), refused.getMessage());
            assertTrue(refused.getMessage().contains("not starting"), refused.getMessage());
        }
    }

    @Test
    void aBrokerWithTheContractsSettingsPasses() throws Exception {
        try (TcpBroker broker = new TcpBroker(CONTRACT.addressSettings()).start();
             ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(broker.url())) {
            BrokerSettingsCheck check = new BrokerSettingsCheck(connections, CONTRACT, QUEUES, true);
            assertEquals(List.of(), check.differences());
            check.start();
        }
    }

    @Test
    void deployBrokerXmlSaysWhatTheContractSays() throws Exception {
        Document fragment = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("deploy", "broker.xml").toFile());
        NodeList addressSettings = fragment.getElementsByTagName("address-setting");
        assertEquals(1, addressSettings.getLength(), "one address-setting for the gateway's queues");
        Element gateway = (Element) addressSettings.item(0);
        assertEquals("gateway.#", gateway.getAttribute("match"));
        for (BrokerContract.Setting setting : CONTRACT.settings()) {
            NodeList values = gateway.getElementsByTagName(setting.element());
            assertEquals(1, values.getLength(), setting.element() + " in deploy/broker.xml");
            String value = values.item(0).getTextContent().strip();
            assertTrue(setting.matches(value), setting.element() + " is " + value + " in deploy/broker.xml, the contract says "
                    + setting.expected());
        }
    }
}
