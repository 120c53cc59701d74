package org.octgateway;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.octgateway.HostileCase.Expect;
import org.octgateway.HostileCase.Port;
import org.octgateway.HostileCase.Shape;
import org.octgateway.RawHttp.Request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an attacker and a clumsy client send, against every endpoint of the business port and the management port
 * of a gateway with the shipped security posture (demo off, no webhook allow-list, bucket allow-lists as shipped):
 * every row must get a clean refusal — a JSON 4xx naming what is wrong (Jolokia: its refusal), never a 5xx, no
 * stack trace, no secret, within {@link #DEADLINE} — and the gateway must be healthy after the whole table.
 * <p>
 * Requests go over raw sockets ({@link RawHttp}) so every byte is the test's; the job worker does not run while the
 * table is sent ({@link HostileGatewayTest}), so nothing wrongly accepted ever reaches the addresses it names. Each
 * row is a well-formed request (the "control" rows, accepted) with one thing spoiled. {@code target/hostile-report/}
 * lists, per class of input, what passed and what the gateway answered where it failed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest extends HostileGatewayTest {

    static final long MAX_BODY = 2L * 1024 * 1024;

    @Override
    protected void moreProperties(Properties properties) {
        // A small body limit, so the over-the-limit rows are quick to send.
        properties.setProperty("camel.server.maxBodySize", Long.toString(MAX_BODY));
    }

    // ---- the table -----------------------------------------------------------------------------------

    List<HostileCase> hostileInputs() {
        List<HostileCase> table = new ArrayList<>();
        controls(table);
        webhookAddresses(table);
        webhookUrls(table);
        inferenceParameters(table);
        examinationIds(table);
        multipart(table);
        httpLayer(table);
        buckets(table);
        management(table);
        requestState(table);
        // Last: the requests that never end, so a gateway that hangs on them does not take the others down with it.
        slowClients(table);
        return table;
    }

    @Test
    @Order(1)
    void tableHoldsAtLeast300CasesAcrossEveryClass() {
        List<HostileCase> table = hostileInputs();
        Map<String, Long> perKind = new LinkedHashMap<>();
        table.forEach(c -> perKind.merge(c.kind(), 1L, Long::sum));
        System.out.println("Hostile-input table: " + table.size() + " cases " + perKind);
        assertTrue(table.size() >= 300, "only " + table.size() + " cases");
        assertTrue(perKind.keySet().containsAll(List.of("webhook-address", "webhook-url", "inference-parameters",
                "examination-id", "multipart", "http-layer", "bucket", "management", "slow-client")), perKind.toString());
        assertEquals(table.size(), table.stream().map(HostileCase::toString).distinct().count(), "case names are unique");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    @Order(2)
    void hostileInputIsRefusedCleanly(HostileCase hostile) throws IOException {
        sendAndCheck(hostile, List.of(SYSTEM_PROPERTY_SECRET, WEBHOOK_SECRET, CONTROL_EXAMINATION));
    }

    @Test
    @Order(3)
    void gatewayIsHealthyAfterTheWholeTable() throws IOException {
        // A well-formed upload is still accepted after all that.
        RawHttp.Response upload = RawHttp.exchange(peers().httpPort, upload(h()), DEADLINE);
        assertEquals(200, upload.status(), upload.summary());
        assertHealthy();
    }

    // ---- controls: the well-formed requests every hostile row is a variation of --------------------------

    private void controls(List<HostileCase> table) {
        add(table, "control", "a well-formed upload is accepted",
                upload(h("Examination-ID", CONTROL_EXAMINATION)), Expect.of(Shape.ACCEPTED));
        for (String endpoint : BUCKET_ENDPOINTS) {
            add(table, "control", "a well-formed folder request is accepted on " + endpoint,
                    bucket(endpoint, h("Examination-ID", CONTROL_EXAMINATION)), Expect.of(Shape.ACCEPTED));
        }
    }

    // ---- Webhook-Url at addresses the gateway must never call (SSRF): 403 in every spelling --------------

    private static final List<String> FORBIDDEN_WEBHOOK_HOSTS = List.of(
            // cloud metadata, link-local
            "169.254.169.254", "169.254.169.254:80", "169.254.0.1", "[fe80::1]", "[fe80::a9fe:a9fe]",
            // private
            "10.1.2.3", "10.0.0.1", "10.255.255.254", "172.16.0.1", "172.31.255.254", "192.168.1.1", "192.168.0.10",
            // shared address space (carrier-grade NAT)
            "100.64.0.1", "100.127.255.254",
            // loopback, and the gateway's own ports
            "127.0.0.1", "127.0.0.2", "127.255.255.254", "[::1]", "[0:0:0:0:0:0:0:1]", "[0000::0001]",
            // IPv4-mapped and -compatible IPv6
            "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]",
            "[::ffff:10.1.2.3]", "[::ffff:192.168.1.1]", "[::127.0.0.1]",
            // unique-local
            "[fc00::1]", "[fd00::1]", "[fd12:3456:789a::1]",
            // multicast
            "224.0.0.1", "239.255.255.250", "[ff02::1]", "[ff05::1:3]",
            // unspecified
            "0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]", "0",
            // documentation
            "192.0.2.1", "198.51.100.1", "203.0.113.1", "[2001:db8::1]",
            // reserved, benchmarking, broadcast, IETF protocol assignments, discard-only
            "240.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.0.8", "[100::1]",
            // other spellings of loopback and metadata: decimal, hex, octal, short forms
            "2130706433", "2852039166", "0x7f000001", "0xA9FEA9FE", "0177.0.0.1", "0177.0.0.01", "017700000001",
            "127.1", "127.0.1", "0x7f.0.0.1", "0x7f.1", "10.1", "0251.0376.0251.0376",
            // names that are loopback
            "localhost", "LOCALHOST", "localhost.", "localhost:8080");

    private void webhookAddresses(List<HostileCase> table) {
        for (String host : FORBIDDEN_WEBHOOK_HOSTS) {
            add(table, "webhook-address", "upload with Webhook-Url at " + host,
                    upload(h("Webhook-Url", "http://" + host + "/hook")), Expect.error(Set.of(403)));
        }
        add(table, "webhook-address", "upload with Webhook-Url at the gateway's own management port",
                upload(h("Webhook-Url", "http://127.0.0.1:" + peers().managementPort + "/observe/jolokia")),
                Expect.error(Set.of(403)));
        add(table, "webhook-address", "upload with Webhook-Url at the gateway's own business port",
                upload(h("Webhook-Url", "http://localhost:" + peers().httpPort + "/invocations")), Expect.error(Set.of(403)));
        add(table, "webhook-address", "upload with Webhook-Url HTTPS at [::1]:8443",
                upload(h("Webhook-Url", "https://[::1]:8443/hook")), Expect.error(Set.of(403)));
        add(table, "webhook-address", "upload with Webhook-Url in upper case at 127.0.0.1",
                upload(h("Webhook-Url", "HTTP://127.0.0.1/hook")), Expect.error(Set.of(403)));
        add(table, "webhook-address", "upload with Webhook-Url at the metadata path",
                upload(h("Webhook-Url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/")),
                Expect.error(Set.of(403)));
        add(table, "webhook-address", "upload with Webhook-Url at metadata.google.internal",
                upload(h("Webhook-Url", "http://metadata.google.internal/computeMetadata/v1/")), Expect.any4xxJson());
        // Spellings a URL parser may read differently than the HTTP client: refused one way or the other.
        for (String url : List.of("http://1.1.1.1#@127.0.0.1/hook", "http://127.0.0.1#@1.1.1.1/hook",
                "http://1.1.1.1\\@127.0.0.1/hook", "http://%31%32%37.0.0.1/hook", "http://127.0.0.1%00.example.com/hook",
                "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/hook", "http://[fe80::1%25eth0]/hook",
                "http://127。0。0。1/hook", "http://[::ffff:127.0.0.1]:80@1.1.1.1/hook")) {
            add(table, "webhook-address", "upload with Webhook-Url " + url, upload(h("Webhook-Url", url)),
                    Expect.any4xxJson());
        }
        for (String endpoint : BUCKET_ENDPOINTS) {
            for (String host : List.of("169.254.169.254", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1",
                    "127.0.0.1", "[::1]", "[::ffff:7f00:1]", "[fd00::1]", "0x7f000001", "2130706433", "localhost",
                    "0.0.0.0", "224.0.0.1")) {
                add(table, "webhook-address", endpoint + " with Webhook-Url at " + host,
                        bucket(endpoint, h("Webhook-Url", "http://" + host + "/hook")), Expect.error(Set.of(403)));
            }
        }
    }

    // ---- Webhook-Url that is not a usable URL: 400 -------------------------------------------------------

    private void webhookUrls(List<HostileCase> table) {
        Expect invalid = Expect.error(400, "invalid_header", "Webhook-Url");
        for (String port : List.of("0", "65536", "99999", "-1", "abc", "4294967377", "80:80")) {
            add(table, "webhook-url", "upload with Webhook-Url port " + port,
                    upload(h("Webhook-Url", "http://1.1.1.1:" + port + "/hook")), Expect.error(400, null, "Webhook-Url"));
        }
        for (String url : List.of("ftp://1.1.1.1/hook", "file:///etc/passwd", "gopher://1.1.1.1:70/_x", "jar:http://1.1.1.1/a!/b",
                "javascript:alert(1)", "data:text/plain,hook", "ws://1.1.1.1/hook", "dict://1.1.1.1:11211/stat",
                "ldap://1.1.1.1/o=x", "//1.1.1.1/hook", "/relative/hook", "http:/1.1.1.1/hook", "http://", "https:///hook",
                "not a url", "http://exa mple.com/hook", "hook")) {
            add(table, "webhook-url", "upload with Webhook-Url " + url, upload(h("Webhook-Url", url)), invalid);
        }
        for (String url : List.of("http://user:pass@1.1.1.1/hook", "http://user@1.1.1.1/hook", "http://:@1.1.1.1/hook",
                "https://token:x-oauth@1.1.1.1/hook")) {
            add(table, "webhook-url", "upload with credentials in Webhook-Url " + url, upload(h("Webhook-Url", url)), invalid);
        }
        Expect missing = Expect.error(400, "missing_header", "Webhook-Url");
        add(table, "webhook-url", "upload without Webhook-Url", upload(h("Webhook-Url", null)), missing);
        add(table, "webhook-url", "upload with an empty Webhook-Url", upload(h("Webhook-Url", "")), missing);
        add(table, "webhook-url", "upload with a blank Webhook-Url", upload(h("Webhook-Url", "   ")), missing);
        add(table, "webhook-url", "upload with a tab for Webhook-Url", upload(h("Webhook-Url", "\t")), missing);
        for (String endpoint : BUCKET_ENDPOINTS) {
            add(table, "webhook-url", endpoint + " without Webhook-Url", bucket(endpoint, h("Webhook-Url", null)), missing);
            add(table, "webhook-url", endpoint + " with Webhook-Url port 0",
                    bucket(endpoint, h("Webhook-Url", "http://1.1.1.1:0/hook")), Expect.error(400, null, "Webhook-Url"));
            add(table, "webhook-url", endpoint + " with Webhook-Url port 99999",
                    bucket(endpoint, h("Webhook-Url", "http://1.1.1.1:99999/hook")), Expect.error(400, null, "Webhook-Url"));
            add(table, "webhook-url", endpoint + " with a file: Webhook-Url",
                    bucket(endpoint, h("Webhook-Url", "file:///etc/passwd")), invalid);
            add(table, "webhook-url", endpoint + " with credentials in Webhook-Url",
                    bucket(endpoint, h("Webhook-Url", "https://user:pass@1.1.1.1/hook")), invalid);
        }
    }

    // ---- Inference-Parameters: 400 invalid_inference_parameters ------------------------------------------

    private static final List<String> NOT_A_JSON_OBJECT = List.of(
            "not json", "{", "}", "{\"a\":}", "{'a':1}", "{a:1}", "{\"a\":1,}", "{\"x\": NaN}", "{\"x\": Infinity}",
            "{\"x\": -Infinity}", "{\"scan_width\": 01}", "{\"scan_width\": .5}", "{\"scan_width\": +1}",
            "/* comment */ {}", "{\"a\":\"unterminated}", "{\"a\" 1}",
            "[1,2]", "[]", "\"text\"", "42", "true", "null",
            // trailing content after the object
            "{} {}", "{\"a\":1}x", "{}]", "{\"a\":1} // comment", "{}\t[]", "{\"low_confidence_p\":0.2}{\"low_confidence_p\":9}");

    private static final List<String> WRONG_PARAMETERS = List.of(
            // not finite, or out of range
            "{\"scan_width\": 1e999}", "{\"scan_width\": -1e999}", "{\"mm_crop_zone\": 1e999}",
            "{\"pixel_spacing_row\": 1e999}", "{\"pixel_spacing_column\": 1e999}", "{\"low_confidence_p\": -1e999}",
            "{\"mm_crop_zone_nerve\": 1e999}", "{\"mm_nerve_crop_zone\": 1e999}", "{\"center_coordinates\": [1e999, 0]}",
            "{\"center_coordinates\": [0, -1e999]}", "{\"slice_idx\": 1e999}", "{\"my_model_knob\": 1e999}",
            "{\"nerve_zone_landmarks\": {\"disc\": [1e999, 2]}}",
            // slice_idx
            "{\"slice_idx\": 18446744073709551616}", "{\"slice_idx\": 9223372036854775808}", "{\"slice_idx\": -1}",
            "{\"slice_idx\": 1.5}", "{\"slice_idx\": \"3\"}", "{\"slice_idx\": true}", "{\"slice_idx\": [3]}",
            "{\"slice_idx\": {}}",
            "{\"nerve_zone_slice_indices\": [18446744073709551616]}", "{\"nerve_zone_slice_indices\": [-1]}",
            "{\"nerve_zone_slice_indices\": [1.5]}", "{\"nerve_zone_slice_indices\": [\"1\"]}",
            "{\"nerve_zone_slice_indices\": 5}", "{\"nerve_zone_slice_indices\": [[1]]}",
            // wrong types of every documented key
            "{\"scan_width\": \"6\"}", "{\"scan_width\": true}", "{\"scan_width\": []}", "{\"scan_width\": {}}",
            "{\"scan_width\": 0}", "{\"scan_width\": -1}",
            "{\"mm_crop_zone\": \"1\"}", "{\"mm_crop_zone\": -0.5}", "{\"mm_crop_zone\": [1]}",
            "{\"center_coordinates\": \"1,2\"}", "{\"center_coordinates\": [1]}", "{\"center_coordinates\": [1,2,3]}",
            "{\"center_coordinates\": [\"a\",\"b\"]}", "{\"center_coordinates\": {\"x\":1,\"y\":2}}",
            "{\"center_coordinates\": [1,null]}",
            "{\"pixel_spacing_row\": \"0.1\"}", "{\"pixel_spacing_row\": 0}", "{\"pixel_spacing_row\": -1}",
            "{\"pixel_spacing_row\": true}", "{\"pixel_spacing_column\": \"0.1\"}", "{\"pixel_spacing_column\": 0}",
            "{\"pixel_spacing_column\": []}",
            "{\"low_confidence_p\": 1.5}", "{\"low_confidence_p\": -0.1}", "{\"low_confidence_p\": \"0.2\"}",
            "{\"low_confidence_p\": true}",
            "{\"nerve_zone_landmarks\": \"x\"}", "{\"nerve_zone_landmarks\": 5}", "{\"nerve_zone_landmarks\": true}",
            "{\"mm_crop_zone_nerve\": \"1\"}", "{\"mm_crop_zone_nerve\": -1}", "{\"mm_crop_zone_nerve\": {}}",
            "{\"mm_nerve_crop_zone\": \"1\"}", "{\"mm_nerve_crop_zone\": -1}",
            // duplicate keys
            "{\"low_confidence_p\":0.2,\"low_confidence_p\":5}", "{\"scan_width\":1,\"scan_width\":\"x\"}",
            "{\"my_knob\":1,\"my_knob\":2}");

    private void inferenceParameters(List<HostileCase> table) {
        Expect invalid = Expect.error(400, "invalid_inference_parameters", "Inference-Parameters");
        for (String parameters : NOT_A_JSON_OBJECT) {
            add(table, "inference-parameters", "upload with Inference-Parameters " + parameters,
                    upload(h("Inference-Parameters", parameters)), invalid);
        }
        for (String parameters : WRONG_PARAMETERS) {
            add(table, "inference-parameters", "upload with Inference-Parameters " + parameters,
                    upload(h("Inference-Parameters", parameters)), Expect.error(400, "invalid_inference_parameters", null));
        }
        add(table, "inference-parameters", "upload with Inference-Parameters nested 1000 arrays deep",
                upload(h("Inference-Parameters", "{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}")), invalid);
        add(table, "inference-parameters", "upload with Inference-Parameters nested 1000 objects deep",
                upload(h("Inference-Parameters", "{\"a\":".repeat(1000) + "1" + "}".repeat(1000))), invalid);
        add(table, "inference-parameters", "upload with a huge Inference-Parameters (12 KB)",
                upload(h("Inference-Parameters", "{\"pad\":\"" + "x".repeat(12_000) + "\"}")), Expect.any4xxJson());
        add(table, "inference-parameters", "upload with a huge Inference-Parameters (2,000 keys)",
                upload(h("Inference-Parameters", hugeObject(2000))), Expect.any4xxJson());
        add(table, "inference-parameters", "upload with Inference-Parameters holding invalid UTF-8",
                upload(h("Inference-Parameters", bytes("{\"note\":\"", new byte[] {(byte) 0xff, (byte) 0xfe}, "\"}"))),
                Expect.any4xxJson());
        for (String endpoint : BUCKET_ENDPOINTS) {
            for (String parameters : List.of("not json", "[1,2]", "\"text\"", "{} {}", "{\"scan_width\": 1e999}",
                    "{\"slice_idx\": 18446744073709551616}", "{\"slice_idx\": -1}", "{\"low_confidence_p\": 2}",
                    "{\"mm_crop_zone_nerve\": \"1\"}", "{\"a\":1,\"a\":2}")) {
                add(table, "inference-parameters", endpoint + " with Inference-Parameters " + parameters,
                        bucket(endpoint, h("Inference-Parameters", parameters)),
                        Expect.error(400, "invalid_inference_parameters", null));
            }
        }
    }

    private static String hugeObject(int keys) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keys; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return json.append('}').toString();
    }

    // ---- Examination-ID: printable ASCII, capped: 400 -----------------------------------------------------

    private static final Map<String, Object> BAD_EXAMINATION_IDS = examinationIds();

    private static Map<String, Object> examinationIds() {
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("a control character (0x01)", "exam\u0001-1");
        ids.put("a bell (0x07)", "exam\u0007");
        ids.put("an ANSI escape", "exam\u001b[31mred");
        ids.put("DEL (0x7f)", "exam\u007f");
        ids.put("a tab", "exam\t1");
        ids.put("129 characters", "e".repeat(129));
        ids.put("1,000 characters", "e".repeat(1000));
        ids.put("4,000 characters", "e".repeat(4000));
        ids.put("UTF-8 'Müller'", "Müller-42");
        ids.put("an emoji", "exam-\uD83D\uDE00");
        ids.put("a right-to-left override", "exam-\u202Egnp.exe");
        ids.put("a zero-width space", "exam\u200B1");
        ids.put("a line separator (U+2028)", "exam\u20281");
        ids.put("invalid UTF-8 (0xff)", new byte[] {'e', 'x', (byte) 0xff, 'm'});
        ids.put("a lone UTF-8 lead byte (0xc3)", new byte[] {'e', 'x', (byte) 0xc3});
        ids.put("ISO-8859-1 bytes", new byte[] {'M', (byte) 0xfc, 'l', 'l', 'e', 'r'});
        return ids;
    }

    private void examinationIds(List<HostileCase> table) {
        for (String endpoint : List.of("/invocations", "/bucket_invocations", "/bucket_invocations_azure_uae")) {
            BAD_EXAMINATION_IDS.forEach((what, value) -> add(table, "examination-id",
                    endpoint + " with Examination-ID of " + what,
                    endpoint.equals("/invocations") ? upload(h("Examination-ID", value)) : bucket(endpoint, h("Examination-ID", value)),
                    refusedHeader("Examination-ID", value)));
        }
    }

    /**
     * 400 naming the header; but control characters other than tab are already refused by the HTTP parser, before
     * any header is looked at, so there only the status and the JSON shape are prescribed.
     */
    private static Expect refusedHeader(String header, Object value) {
        boolean parserRefuses = value instanceof String text && text.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
        return parserRefuses ? Expect.error(Set.of(400)) : Expect.error(400, "invalid_header", header);
    }

    // ---- multipart bodies --------------------------------------------------------------------------------

    private static final String BOUNDARY = "hostile-boundary-7e1d";

    private void multipart(List<HostileCase> table) {
        byte[] png = TestImages.png(5);
        Expect any = Expect.any4xxJson();
        Expect missingImage = Expect.error(400, "missing_image", null);
        Expect twoImages = Expect.error(400, null, "image");
        Expect notAnImage = Expect.error(415, "unsupported_media_type", null);
        String imagePart = "Content-Disposition: form-data; name=\"image\"; filename=\"scan.png\"\r\nContent-Type: image/png";

        add(table, "multipart", "multipart/form-data without a boundary",
                rawUpload("multipart/form-data", form(BOUNDARY, true, part(imagePart, png))), any);
        add(table, "multipart", "multipart/form-data with an empty boundary",
                rawUpload("multipart/form-data; boundary=", form(BOUNDARY, true, part(imagePart, png))), any);
        add(table, "multipart", "multipart/form-data with an empty quoted boundary",
                rawUpload("multipart/form-data; boundary=\"\"", form(BOUNDARY, true, part(imagePart, png))), any);
        add(table, "multipart", "a boundary that does not match the body's",
                rawUpload("multipart/form-data; boundary=other-boundary", form(BOUNDARY, true, part(imagePart, png))), any);
        add(table, "multipart", "a body without its closing boundary",
                rawUpload(multipartType(), form(BOUNDARY, false, part(imagePart, png))), any);
        add(table, "multipart", "a body that stops inside the image part",
                rawUpload(multipartType(), Arrays.copyOf(form(BOUNDARY, false, part(imagePart, png)), 120)), any);
        add(table, "multipart", "only the closing boundary", rawUpload(multipartType(), ascii("--" + BOUNDARY + "--\r\n")),
                missingImage);
        add(table, "multipart", "an empty multipart body", rawUpload(multipartType(), new byte[0]), any);
        add(table, "multipart", "garbage instead of multipart", rawUpload(multipartType(), ascii("x".repeat(500))), any);
        add(table, "multipart", "5,000 form fields", rawUpload(multipartType(), manyParts(5000, false, png)), any);
        add(table, "multipart", "1,000 file parts", rawUpload(multipartType(), manyParts(1000, true, png)), any);
        add(table, "multipart", "two image parts", rawUpload(multipartType(),
                form(BOUNDARY, true, part(imagePart, png), part(imagePart.replace("scan.png", "other.png"), TestImages.png(6)))),
                twoImages);
        add(table, "multipart", "an image file part and an image form field", rawUpload(multipartType(),
                form(BOUNDARY, true, part(imagePart, png), part("Content-Disposition: form-data; name=\"image\"", ascii("x")))),
                twoImages);
        add(table, "multipart", "no image part (field 'file')", rawUpload(multipartType(),
                form(BOUNDARY, true, part(imagePart.replace("name=\"image\"", "name=\"file\""), png))), missingImage);
        add(table, "multipart", "no part at all but a text field", rawUpload(multipartType(),
                form(BOUNDARY, true, part("Content-Disposition: form-data; name=\"note\"", ascii("hello")))), missingImage);
        add(table, "multipart", "the image field is not a file", rawUpload(multipartType(),
                form(BOUNDARY, true, part("Content-Disposition: form-data; name=\"image\"", ascii("scan.png")))), any);
        add(table, "multipart", "an empty image file", rawUpload(multipartType(), form(BOUNDARY, true, part(imagePart, new byte[0]))),
                any);
        add(table, "multipart", "a text file declared as PNG",
                rawUpload(multipartType(), form(BOUNDARY, true, part(imagePart, ascii("just words\n".repeat(40))))), notAnImage);
        add(table, "multipart", "an HTML page declared as PNG", rawUpload(multipartType(),
                form(BOUNDARY, true, part(imagePart, ascii("<html><script>alert(1)</script></html>")))), notAnImage);
        add(table, "multipart", "a ZIP archive declared as PNG", rawUpload(multipartType(),
                form(BOUNDARY, true, part(imagePart, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5, 6}))),
                notAnImage);
        add(table, "multipart", "an ELF binary declared as PNG", rawUpload(multipartType(),
                form(BOUNDARY, true, part(imagePart, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}))),
                notAnImage);
        add(table, "multipart", "a part without Content-Disposition", rawUpload(multipartType(),
                form(BOUNDARY, true, part("Content-Type: image/png", png))), any);
        add(table, "multipart", "a Content-Disposition without a name", rawUpload(multipartType(),
                form(BOUNDARY, true, part("Content-Disposition: form-data; filename=\"scan.png\"\r\nContent-Type: image/png", png))),
                any);
        add(table, "multipart", "a 100 KB part header", rawUpload(multipartType(), form(BOUNDARY, true,
                part("Content-Disposition: form-data; name=\"image\"; filename=\"" + "a".repeat(100_000) + ".png\"", png))), any);
        add(table, "multipart", "a nested multipart/mixed part", rawUpload(multipartType(), form(BOUNDARY, true,
                part("Content-Disposition: form-data; name=\"image\"\r\nContent-Type: multipart/mixed; boundary=inner",
                        ascii("--inner\r\nContent-Type: image/png\r\n\r\nxx\r\n--inner--")))), any);
        Map<String, String> filenames = new LinkedHashMap<>();
        filenames.put("a filename with CR LF", "filename=\"scan\r\nX-Forged: 1.png\"");
        filenames.put("a filename with a bare LF", "filename=\"scan\nforged log line.png\"");
        filenames.put("filename*=UTF-8''%0Aforged", "filename*=UTF-8''%0Aforged%20log%20line.png");
        filenames.put("filename*=UTF-8''%0D%0Aforged", "filename*=UTF-8''scan%0D%0A2026-11-27%20INFO%20forged.png");
        filenames.put("a filename with a NUL", "filename=\"scan\0.png\"");
        filenames.put("a filename with an ANSI escape", "filename=\"scan\u001b[2J.png\"");
        filenames.put("a path traversal filename", "filename=\"../../../../etc/passwd\"");
        filenames.put("a path traversal filename with backslashes", "filename=\"..\\..\\..\\windows\\win.ini\"");
        filenames.put("an absolute filename", "filename=\"/etc/passwd\"");
        filenames.put("a path traversal filename*", "filename*=UTF-8''..%2F..%2F..%2Fetc%2Fpasswd");
        filenames.forEach((what, filename) -> add(table, "multipart", "an image part with " + what,
                rawUpload(multipartType(), form(BOUNDARY, true,
                        part("Content-Disposition: form-data; name=\"image\"; " + filename + "\r\nContent-Type: image/png", png))),
                Expect.of(HostileCase.Shape.ACCEPTED_CLEANED)));
        add(table, "multipart", "an image part with a 2,000-character filename", rawUpload(multipartType(), form(BOUNDARY,
                true, part("Content-Disposition: form-data; name=\"image\"; filename=\"" + "a".repeat(2000) + ".png\""
                        + "\r\nContent-Type: image/png", png))), any);
        add(table, "multipart", "Content-Type application/json",
                rawUpload("application/json", ascii("{\"image\":\"iVBORw0KGgo=\"}")), any);
        add(table, "multipart", "Content-Type text/plain", rawUpload("text/plain", ascii("an image, honestly")), any);
        add(table, "multipart", "Content-Type application/x-www-form-urlencoded",
                rawUpload("application/x-www-form-urlencoded", ascii("image=abc")), any);
        add(table, "multipart", "Content-Type application/octet-stream with the raw PNG",
                rawUpload("application/octet-stream", png), any);
        add(table, "multipart", "Content-Type multipart/mixed",
                rawUpload("multipart/mixed; boundary=" + BOUNDARY, form(BOUNDARY, true, part(imagePart, png))), any);
        add(table, "multipart", "no Content-Type with a multipart body", rawUpload(null, form(BOUNDARY, true, part(imagePart, png))),
                any);
        add(table, "multipart", "a Content-Type that is not a media type",
                rawUpload("]]]not a type[[[", form(BOUNDARY, true, part(imagePart, png))), any);
        add(table, "multipart", "an upload with no body at all", rawUpload(multipartType(), null), any);
    }

    private static String multipartType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    private static byte[] part(String headers, byte[] content) {
        return bytes(headers + "\r\n\r\n", content, "");
    }

    private static byte[] form(String boundary, boolean closed, byte[]... parts) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(ascii("--" + boundary + "\r\n"));
            body.writeBytes(part);
            body.writeBytes(ascii("\r\n"));
        }
        if (closed) {
            body.writeBytes(ascii("--" + boundary + "--\r\n"));
        }
        return body.toByteArray();
    }

    private static byte[] manyParts(int count, boolean files, byte[] content) {
        byte[][] parts = new byte[count][];
        for (int i = 0; i < count; i++) {
            parts[i] = files
                    ? part("Content-Disposition: form-data; name=\"f" + i + "\"; filename=\"f" + i + ".png\"\r\nContent-Type: image/png", content)
                    : part("Content-Disposition: form-data; name=\"f" + i + "\"", ascii("v" + i));
        }
        return form(BOUNDARY, true, parts);
    }

    /** POST /invocations with a valid Webhook-Url and the given body (null: none at all). */
    private static Request rawUpload(String contentType, byte[] body) {
        Request request = Request.post("/invocations").header("Webhook-Url", HOOK);
        return body == null ? request.contentLength("0") : request.body(contentType, body);
    }

    // ---- the HTTP layer ------------------------------------------------------------------------------------

    private void httpLayer(List<HostileCase> table) {
        Expect any = Expect.any4xxJson();
        Expect badRequest = Expect.error(Set.of(400));
        String kind = "http-layer";
        add(table, kind, "a NUL in the Examination-ID value", upload(h("Examination-ID", "exam\0-1")), badRequest);
        add(table, kind, "a NUL in the Webhook-Url value", upload(h("Webhook-Url", "https://1.1.1.1/\0hook")), badRequest);
        add(table, kind, "a bare CR in a header value", upload(h("Examination-ID", "exam\r-1")), badRequest);
        add(table, kind, "a bare CR in the Inference-Parameters value",
                upload(h("Inference-Parameters", "{\"scan_width\":6}\r{\"x\":1}")), badRequest);
        add(table, kind, "a header line without a colon", upload(h()).headerLine(ascii("NoColonHere")), badRequest);
        add(table, kind, "a header name with a space", upload(h()).headerLine(ascii("Bad Header: x")), badRequest);
        add(table, kind, "a header name with separators", upload(h()).headerLine(ascii("X(y)@z: x")), badRequest);
        add(table, kind, "a header name with non-ASCII bytes",
                upload(h()).headerLine(bytes("X-", new byte[] {(byte) 0xc3, (byte) 0xa9}, ": x")), badRequest);
        add(table, kind, "a header name with a NUL", upload(h()).headerLine(ascii("X-\0Evil: x")), badRequest);
        add(table, kind, "a header line starting with a colon", upload(h()).headerLine(ascii(": no name")), badRequest);
        add(table, kind, "one header over 8 KB", upload(h("X-Padding", "p".repeat(9000))), Expect.error(Set.of(431)));
        add(table, kind, "one header of 64 KB", upload(h("X-Padding", "p".repeat(65_536))), Expect.error(Set.of(431)));
        add(table, kind, "Examination-ID of 10 KB", upload(h("Examination-ID", "e".repeat(10_000))), Expect.error(Set.of(431)));
        Request manyHeaders = upload(h());
        for (int i = 0; i < 200; i++) {
            manyHeaders.header("X-Many-" + i, "v".repeat(60));
        }
        add(table, kind, "200 headers of 60 bytes", manyHeaders, Expect.error(Set.of(431)));
        Request tinyHeaders = upload(h());
        for (int i = 0; i < 2000; i++) {
            tinyHeaders.header("X" + i, "v");
        }
        add(table, kind, "2,000 tiny headers", tinyHeaders, Expect.error(Set.of(431)));
        add(table, kind, "a URI of 5 KB", Request.get("/ping?" + "q".repeat(5000)), Expect.error(Set.of(414)));
        add(table, kind, "a path of 10 KB", Request.post("/invocations/" + "p".repeat(10_000)).contentLength("0"),
                Expect.error(Set.of(414)));
        add(table, kind, "a URI of 100 KB", Request.get("/" + "u".repeat(100_000)), Expect.error(Set.of(414)));
        for (String path : List.of("/nope", "/INVOCATIONS", "/admin", "/invocations/../admin", "/api/v1/invocations",
                "/ping/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/demo/webhook", "/demo/inference", "/observe/jolokia")) {
            add(table, kind, "GET " + path, Request.get(path), path.contains("..") ? any
                    : Expect.error(404, "not_found", null));
        }
        add(table, kind, "POST to an unknown path", Request.post("/nope").body("application/json", "{}"),
                Expect.error(404, "not_found", null));
        add(table, kind, "a percent-encoding that is not one", Request.get("/invocations%zz"), any);
        add(table, kind, "a percent-encoded NUL in the path", Request.get("/ping%00"), any);
        Set<Integer> wrongMethod = Set.of(404, 405);
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            add(table, kind, method + " /invocations", new Request(method, "/invocations").contentLength("0"),
                    Expect.error(wrongMethod));
        }
        for (String path : List.of("/bucket_invocations", "/bucket_invocations_azure_uae")) {
            add(table, kind, "GET " + path, Request.get(path), Expect.error(wrongMethod));
            add(table, kind, "DELETE " + path, new Request("DELETE", path), Expect.error(wrongMethod));
        }
        add(table, kind, "POST /ping", Request.post("/ping").contentLength("0"), Expect.error(wrongMethod));
        add(table, kind, "DELETE /ping", new Request("DELETE", "/ping"), Expect.error(wrongMethod));
        add(table, kind, "TRACE /ping", new Request("TRACE", "/ping"), any);
        add(table, kind, "an unknown method", new Request("FROBNICATE", "/invocations").contentLength("0"), any);
        add(table, kind, "a request line that is garbage", new Request("GARBAGE", "").withoutHost(), any);
        add(table, kind, "a request line with a space in the target", new Request("GET", "/pi ng"), any);
        add(table, kind, "HTTP/1.1 without Host", upload(h()).withoutHost(), any);
        add(table, kind, "two Host headers", upload(h()).header("Host", "evil.example"), any);
        add(table, kind, "Content-Length that is not a number", upload(h()).contentLength("abc"), badRequest);
        add(table, kind, "a negative Content-Length", upload(h()).contentLength("-1"), badRequest);
        add(table, kind, "Content-Length 1e3", upload(h()).contentLength("1e3"), badRequest);
        add(table, kind, "Content-Length with a plus sign", upload(h()).contentLength("+100"), badRequest);
        add(table, kind, "two different Content-Lengths", upload(h()).header("Content-Length", "5"), badRequest);
        add(table, kind, "Content-Length beyond 64 bits", upload(h()).contentLength("99999999999999999999999"), any);
        add(table, kind, "Content-Length and Transfer-Encoding together",
                upload(h()).header("Transfer-Encoding", "chunked"), badRequest);
        add(table, kind, "Content-Length over the body limit (413)",
                upload(h()).contentLength(Long.toString(MAX_BODY + 1)).incomplete(),
                Expect.error(413, "payload_too_large", null));
        add(table, kind, "a 1 TB Content-Length (413)", upload(h()).contentLength("1099511627776").incomplete(),
                Expect.error(413, "payload_too_large", null));
        add(table, kind, "a body over the limit, with its Content-Length (413)",
                rawUpload(multipartType(), form(BOUNDARY, true, part(
                        "Content-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\nContent-Type: image/png",
                        Arrays.copyOf(TestImages.png(7), (int) MAX_BODY + 1000)))),
                Expect.error(413, "payload_too_large", null));
        add(table, kind, "a chunked body over the limit (413)",
                rawUpload(multipartType(), form(BOUNDARY, true, part(
                        "Content-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\nContent-Type: image/png",
                        Arrays.copyOf(TestImages.png(8), (int) MAX_BODY + 1000)))).chunked(64 * 1024),
                Expect.error(413, "payload_too_large", null));
        add(table, kind, "a chunked body with a bad chunk size",
                upload(h()).contentLength("").headerLine(ascii("Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0")), any);
        add(table, kind, "a chunk size beyond 64 bits",
                upload(h()).contentLength("").headerLine(ascii("Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nabc\r\n0")),
                any);
        add(table, kind, "a TLS handshake on the plain HTTP port",
                new Request("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003", "").withoutHost(), any);
    }

    // ---- the bucket endpoints --------------------------------------------------------------------------------

    private void buckets(List<HostileCase> table) {
        Map<String, Object> locations = new LinkedHashMap<>();
        locations.put("..", "..");
        locations.put("../", "../");
        locations.put("../other-bucket/exam-1/", "../other-bucket/exam-1/");
        locations.put("exam-1/../../other-bucket/", "exam-1/../../other-bucket/");
        locations.put("exam-1/..", "exam-1/..");
        locations.put(".", ".");
        locations.put("./exam-1/", "./exam-1/");
        locations.put("exam-1/./scan-1.png", "exam-1/./scan-1.png");
        locations.put("exam-1//scan-1.png", "exam-1//scan-1.png");
        locations.put("//", "//");
        locations.put("/", "/");
        locations.put("///", "///");
        locations.put("exam-1\\scan-1.png", "exam-1\\scan-1.png");
        locations.put("..\\..\\other-bucket", "..\\..\\other-bucket");
        locations.put("\\\\server\\share", "\\\\server\\share");
        locations.put("C:\\exam", "C:\\exam");
        locations.put("a control character (0x01)", "exam-1\u0001/");
        locations.put("an escape (0x1b)", "exam-1\u001b[2J/");
        locations.put("DEL (0x7f)", "exam-1\u007f/");
        locations.put("a tab", "exam-1\t/");
        locations.put("2 KB", "e".repeat(2048) + "/");
        locations.put("only spaces", "   ");
        locations.put("invalid UTF-8", new byte[] {'e', 'x', (byte) 0xff, '/'});
        for (String endpoint : BUCKET_ENDPOINTS) {
            locations.forEach((what, location) -> add(table, "bucket", endpoint + " with Input-Location " + what,
                    bucket(endpoint, h("Input-Location", location)),
                    what.equals("only spaces") ? Expect.error(400, "missing_header", "Input-Location")
                            // not UTF-8: names no object either way (400, or 404 for the name it decodes to)
                            : location instanceof byte[] ? Expect.any4xxJson()
                            : refusedHeader("Input-Location", location)));
            add(table, "bucket", endpoint + " without Input-Location", bucket(endpoint, h("Input-Location", null)),
                    Expect.error(400, "missing_header", "Input-Location"));
            for (String header : List.of("Input-Bucket-Name", "Output-Bucket-Name")) {
                for (String name : List.of("OCT-INPUT", "ab", "..", "-oct-input", "oct-input-", "oct/input", "../oct-input",
                        "oct input", "b".repeat(300))) {
                    add(table, "bucket", endpoint + " with " + header + " '" + abbreviate(name) + "'",
                            bucket(endpoint, h(header, name)), Expect.error(400, "invalid_header", header));
                }
                // An address as a bucket name: not a valid name (GCS), and not an allowed one either.
                add(table, "bucket", endpoint + " with " + header + " '192.168.5.4'", bucket(endpoint, h(header, "192.168.5.4")),
                        Expect.error(Set.of(400, 403)));
                for (String name : List.of("other-bucket", "patients-all", "oct-input-2", "oct-results-archive")) {
                    add(table, "bucket", endpoint + " with " + header + " '" + name + "' (not configured)",
                            bucket(endpoint, h(header, name)), Expect.error(403, "bucket_not_allowed", null));
                }
            }
            for (String value : List.of("maybe", "2", "TRUE!", "yes please", "-1", "tru", "nil")) {
                add(table, "bucket", endpoint + " with Write-To-GCS '" + value + "'", bucket(endpoint, h("Write-To-GCS", value)),
                        Expect.error(400, "invalid_header", "Write-To-GCS"));
            }
            for (String location : List.of("no-such-exam/", "no-such-scan.png", "exam-empty/", "exam-1/no-such.png")) {
                add(table, "bucket", endpoint + " with nothing at " + location, bucket(endpoint, h("Input-Location", location)),
                        Expect.error(404, "not_found", null));
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 20 ? text.substring(0, 8) + "…(" + text.length() + " chars)" : text;
    }

    // ---- the management port ---------------------------------------------------------------------------------

    private static final String QUEUE_MBEAN = "org.apache.activemq.artemis:broker=\\\"oct-gateway-broker\\\",component=addresses,"
            + "address=\\\"gateway.jobs\\\",subcomponent=queues,routing-type=\\\"anycast\\\",queue=\\\"gateway.jobs\\\"";

    private void management(List<HostileCase> table) {
        String kind = "management";
        for (String path : List.of("/observe/jolokia/version", "/observe/jolokia/", "/observe/jolokia/list",
                "/observe/jolokia/search/*:*", "/observe/jolokia/read/java.lang:type=Runtime",
                "/observe/jolokia/read/java.lang:type=Runtime/SystemProperties",
                "/observe/jolokia/read/java.lang:type=Runtime/InputArguments",
                "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage",
                "/observe/jolokia/exec/java.lang:type=Memory/gc",
                "/observe/jolokia/exec/org.octgateway:type=operations,name=deadLetters/replayDeadLetters",
                "/observe/jolokia?p=/read/java.lang:type=Runtime/SystemProperties")) {
            add(table, kind, "GET " + path, managementGet(path), Expect.jolokiaRefused());
        }
        add(table, kind, "GET /observe/jolokia/version from a foreign Origin",
                managementGet("/observe/jolokia/version").header("Origin", "https://evil.example"), Expect.jolokiaRefused());
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("read java.lang:type=Runtime", "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\"}");
        refused.put("read Runtime SystemProperties",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}");
        refused.put("read Runtime InputArguments",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"InputArguments\"}");
        refused.put("read Runtime SystemProperties by path", "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\","
                + "\"attribute\":\"SystemProperties\",\"path\":\"hostile.storage.account-key\"}");
        refused.put("read Runtime with two attributes", "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\","
                + "\"attribute\":[\"SystemProperties\",\"InputArguments\"]}");
        refused.put("exec java.lang:type=Memory gc", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}");
        refused.put("exec java.lang:type=Memory gc()", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}");
        refused.put("exec DiagnosticCommand vmSystemProperties", "{\"type\":\"exec\",\"mbean\":"
                + "\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"vmSystemProperties\"}");
        refused.put("exec DiagnosticCommand vmCommandLine", "{\"type\":\"exec\",\"mbean\":"
                + "\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"vmCommandLine\"}");
        refused.put("exec HotSpotDiagnostic dumpHeap", "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap\",\"arguments\":[\"/nonexistent-dir/heap.hprof\",true]}");
        refused.put("exec Threading dumpAllThreads", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Threading\","
                + "\"operation\":\"dumpAllThreads\",\"arguments\":[true,true]}");
        refused.put("exec Logging setLoggerLevel", "{\"type\":\"exec\",\"mbean\":\"java.util.logging:type=Logging\","
                + "\"operation\":\"setLoggerLevel\",\"arguments\":[\"\",\"OFF\"]}");
        refused.put("exec the jobs queue's removeAllMessages",
                "{\"type\":\"exec\",\"mbean\":\"" + QUEUE_MBEAN + "\",\"operation\":\"removeAllMessages()\"}");
        refused.put("exec the jobs queue's removeAllMessages (bare name)",
                "{\"type\":\"exec\",\"mbean\":\"" + QUEUE_MBEAN + "\",\"operation\":\"removeAllMessages\"}");
        refused.put("exec the jobs queue's browse", "{\"type\":\"exec\",\"mbean\":\"" + QUEUE_MBEAN + "\",\"operation\":\"browse()\"}");
        refused.put("exec the jobs queue's listMessagesAsJSON",
                "{\"type\":\"exec\",\"mbean\":\"" + QUEUE_MBEAN + "\",\"operation\":\"listMessagesAsJSON\",\"arguments\":[\"\"]}");
        refused.put("read the jobs queue's FirstMessageAsJSON",
                "{\"type\":\"read\",\"mbean\":\"" + QUEUE_MBEAN + "\",\"attribute\":\"FirstMessageAsJSON\"}");
        refused.put("write java.lang:type=Memory Verbose",
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");
        refused.put("write java.lang:type=ClassLoading Verbose",
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=ClassLoading\",\"attribute\":\"Verbose\",\"value\":true}");
        refused.forEach((what, body) -> add(table, kind, "POST " + what, jolokiaPost(body), Expect.jolokiaRefused()));
        add(table, kind, "POST a bulk request with a Runtime read",
                jolokiaPost("[{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"},"
                        + "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}]"),
                Expect.jolokiaRefused());
        add(table, kind, "POST a pattern read of java.lang:*", jolokiaPost("{\"type\":\"read\",\"mbean\":\"java.lang:*\"}"),
                Expect.of(Shape.NO_LEAK));
        add(table, kind, "POST a pattern read of *:type=Runtime", jolokiaPost("{\"type\":\"read\",\"mbean\":\"*:type=Runtime\"}"),
                Expect.of(Shape.NO_LEAK));
        add(table, kind, "POST a read of the whole jobs queue MBean",
                jolokiaPost("{\"type\":\"read\",\"mbean\":\"" + QUEUE_MBEAN + "\"}"), Expect.of(Shape.NO_LEAK));
        add(table, kind, "POST a pattern read of every Artemis queue",
                jolokiaPost("{\"type\":\"read\",\"mbean\":\"org.apache.activemq.artemis:*,subcomponent=queues\"}"),
                Expect.of(Shape.NO_LEAK));
        for (String origin : List.of("https://evil.example", "null", "http://localhost.evil.example",
                "http://127.0.0.1.evil.example")) {
            add(table, kind, "POST version from Origin " + origin,
                    jolokiaPost("{\"type\":\"version\"}").header("Origin", origin), Expect.jolokiaRefused());
        }
        add(table, kind, "POST a Memory read from a foreign Origin as text/plain (a browser's simple request)",
                Request.post("/observe/jolokia").header("Origin", "https://evil.example")
                        .body("text/plain", "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\"}"),
                Expect.jolokiaRefused());
        add(table, kind, "POST replayDeadLetters from a foreign Origin",
                jolokiaPost("{\"type\":\"exec\",\"mbean\":\"org.octgateway:type=operations,name=deadLetters\","
                        + "\"operation\":\"replayDeadLetters\"}").header("Origin", "https://evil.example"),
                Expect.jolokiaRefused());
        add(table, kind, "CORS preflight from a foreign Origin",
                new Request("OPTIONS", "/observe/jolokia").header("Origin", "https://evil.example")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type"),
                Expect.of(Shape.CORS_REFUSED));
        add(table, kind, "POST a body that is not JSON", jolokiaPost("not json at all"), Expect.jolokiaBadRequest());
        add(table, kind, "POST an unknown request type", jolokiaPost("{\"type\":\"shutdown\"}"), Expect.jolokiaBadRequest());
        add(table, kind, "POST a deeply nested body",
                jolokiaPost("[".repeat(5000) + "]".repeat(5000)), Expect.jolokiaBadRequest());
        add(table, kind, "GET an unknown management path", managementGet("/nope"), Expect.of(Shape.ANY_4XX));
        add(table, kind, "GET a traversal path", managementGet("/observe/../../../etc/passwd"), Expect.of(Shape.ANY_4XX));
        add(table, kind, "GET health with a 16 KB header", managementGet("/observe/health").header("X-Padding", "p".repeat(16_384)),
                Expect.of(Shape.ANY_4XX));
        add(table, kind, "GET health with a 10 KB URI", managementGet("/observe/health?" + "q".repeat(10_000)),
                Expect.of(Shape.ANY_4XX));
        add(table, kind, "GET metrics with a NUL in a header", managementGet("/observe/metrics").header("X-Evil", "a\0b"),
                Expect.of(Shape.ANY_4XX));
        add(table, kind, "POST Jolokia with a bad Content-Length",
                jolokiaPost("{\"type\":\"version\"}").contentLength("abc"), Expect.of(Shape.ANY_4XX));
    }

    private static Request managementGet(String path) {
        return Request.get(path);
    }

    private static Request jolokiaPost(String body) {
        return Request.post("/observe/jolokia").body("application/json", body);
    }

    // ---- the state endpoints and the headers of issue 10: 400 naming what is wrong --------------------------

    private static final String SOME_UUID = "3f0e1c7a-1111-4222-8333-444455556666";

    private void requestState(List<HostileCase> table) {
        String kind = "request-state";
        Map<String, Object> badKeys = new LinkedHashMap<>();
        badKeys.put("a space", "retry 1");
        badKeys.put("256 characters", "k".repeat(256));
        badKeys.put("4,000 characters", "k".repeat(4000));
        badKeys.put("UTF-8 'Müller'", "Müller-1");
        badKeys.put("a tab", "key\t1");
        badKeys.put("invalid UTF-8 (0xff)", new byte[] {'k', (byte) 0xff});
        Map<String, Object> badTtls = new LinkedHashMap<>();
        for (String ttl : List.of("soon", "0", "-1", "604801", "1e3", "1.5", "99999999999999999999", "0x10", "+-5", "６０")) {
            badTtls.put("'" + ttl + "'", ttl);
        }
        for (String endpoint : List.of("/invocations", "/bucket_invocations", "/bucket_invocations_azure_uae")) {
            badKeys.forEach((what, value) -> add(table, kind, endpoint + " with Idempotency-Key of " + what,
                    endpoint.equals("/invocations") ? upload(h("Idempotency-Key", value)) : bucket(endpoint, h("Idempotency-Key", value)),
                    refusedHeader("Idempotency-Key", value)));
            badTtls.forEach((what, value) -> add(table, kind, endpoint + " with Request-TTL-Seconds of " + what,
                    endpoint.equals("/invocations") ? upload(h("Request-TTL-Seconds", value))
                            : bucket(endpoint, h("Request-TTL-Seconds", value)),
                    refusedHeader("Request-TTL-Seconds", value)));
        }
        Expect badId = Expect.error(400, "invalid_parameter", "request_uuid");
        for (String method : List.of("GET", "DELETE")) {
            for (String id : List.of("not-a-uuid", SOME_UUID.toUpperCase(Locale.ROOT), SOME_UUID + "0", "%27%20OR%201=1--",
                    "%00", "e".repeat(300), SOME_UUID.replace('-', '_'))) {
                add(table, kind, method + " /requests/ of " + id, plain(method, "/requests/" + id, h()), badId);
            }
            add(table, kind, method + " /requests/ of a traversal", plain(method, "/requests/..%2f..%2fetc%2fpasswd", h()),
                    Expect.any4xxJson());
            add(table, kind, method + " /requests/ of an unknown request", plain(method, "/requests/" + SOME_UUID, h()),
                    Expect.error(404, "not_found", null));
        }
        Expect badParameter = Expect.error(400, "invalid_parameter", null);
        for (String query : List.of("limit=0", "limit=-1", "limit=1001", "limit=abc", "limit=99999999999", "after=not-a-uuid",
                "after=%27%20OR%201=1--", "after=" + "a".repeat(300))) {
            add(table, kind, "GET /examinations/exam-1?" + query, plain("GET", "/examinations/exam-1?" + query, h()), badParameter);
        }
        add(table, kind, "GET /examinations/ of 300 characters", plain("GET", "/examinations/" + "e".repeat(300), h()), badParameter);
        add(table, kind, "GET /examinations/ of a NUL", plain("GET", "/examinations/exam%00", h()), badParameter);
        add(table, kind, "GET /examinations/ of an unknown exam", plain("GET", "/examinations/never-seen", h()),
                Expect.error(404, "not_found", null));
    }

    // ---- slow clients: requests that never end must be cut, with an answer, within the deadline --------------

    private void slowClients(List<HostileCase> table) {
        String kind = "slow-client";
        add(table, kind, "headers that never end", Request.get("/ping").header("X-Slow", "1").headersNeverEnd(),
                Expect.of(HostileCase.Shape.CLOSED_OR_API_ERROR));
        add(table, kind, "an upload whose body stops halfway", upload(h()).contentLength("5000").incomplete(),
                Expect.any4xxJson());
        add(table, kind, "a chunked upload that never sends its last chunk", rawUpload(multipartType(),
                form(BOUNDARY, true, part("Content-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                        + "Content-Type: image/png", TestImages.png(9)))).chunked(100).incomplete(), Expect.any4xxJson());
        add(table, kind, "a bucket request whose announced body never comes",
                bucket("/bucket_invocations", h()).contentLength("100").incomplete(), Expect.any4xxJson());
    }

    private static void add(List<HostileCase> table, String kind, String name, Request request, Expect expect) {
        Port port = kind.equals("management") ? Port.MANAGEMENT : Port.BUSINESS;
        table.add(new HostileCase(kind, printable(name), port, request, expect));
    }

    /** Case names show control characters as \\uXXXX, so test reports stay one line each. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x2028 && c <= 0x202e) || c == 0x200b) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        String text = out.toString();
        return text.length() > 160 ? text.substring(0, 150) + "…(" + text.length() + " chars)" : text;
    }
}
