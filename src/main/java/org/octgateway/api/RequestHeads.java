package org.octgateway.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Request heads the HTTP codec lets through although RFC 9110/9112 call them malformed; the business server refuses
 * them with a 400 before any route reads them, and closes the connection (what follows on it cannot be trusted):
 * <ul>
 *   <li>a header whose name is not a token (RFC 9110 section 5.1), e.g. a line starting with a colon;</li>
 *   <li>more than one Host, or none in an HTTP/1.1 request (RFC 9112 section 3.2 requires a 400 for both): which
 *       host the request is for is ambiguous;</li>
 *   <li>a Transfer-Encoding other than one "chunked", or one beside a Content-Length (an HTTP/1.1 request with both
 *       never gets here, see {@link StrictRequestDecoder}): the body's end would be a guess, the ground of request
 *       smuggling.</li>
 * </ul>
 */
final class RequestHeads {

    static final String BOTH_BODY_LENGTHS = "A request may give Content-Length or Transfer-Encoding, not both.";
    /** RFC 9110 tchar besides letters and digits. */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private RequestHeads() {
    }

    /** What is wrong with {@code request}'s head, in plain words; null if nothing is. */
    static String problem(HttpServerRequest request) {
        for (Map.Entry<String, String> header : request.headers()) {
            if (!isToken(header.getKey())) {
                return header.getKey().isEmpty() ? "A header has no name (a header line starts with a colon)."
                        : "A header name is not a valid HTTP token.";
            }
        }
        List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
        if (hosts.size() > 1) {
            return "The request has more than one Host header.";
        }
        if (hosts.isEmpty() && request.version() == HttpVersion.HTTP_1_1) {
            return "An HTTP/1.1 request must name its host in a Host header.";
        }
        List<String> transferEncodings = request.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
        if (!transferEncodings.isEmpty()) {
            if (transferEncodings.size() > 1
                    || !"chunked".equals(transferEncodings.get(0).trim().toLowerCase(Locale.ROOT))) {
                return "Transfer-Encoding must be 'chunked' if it is given.";
            }
            if (request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                return BOTH_BODY_LENGTHS;
            }
        }
        return null;
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letterOrDigit = c < 128 && Character.isLetterOrDigit(c);
            if (!letterOrDigit && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
