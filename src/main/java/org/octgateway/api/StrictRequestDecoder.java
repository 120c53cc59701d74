package org.octgateway.api;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business port's HTTP/1.1 request decoder: Vert.x's own, stricter about where a request's body ends
 * (RFC 9112 section 6), the ground of request smuggling. Vert.x offers no option for either:
 * <ul>
 *   <li>Content-Length and Transfer-Encoding together: Netty drops the Content-Length and reads chunks, where a
 *       proxy in front that believed the Content-Length would see another request start elsewhere. The request is
 *       made invalid before any body byte is read: Vert.x hands it to the invalid-request handler (a 400, and the
 *       connection closes).</li>
 *   <li>A broken chunked body (a chunk size that is not hexadecimal or beyond 64 bits, a chunk without its CRLF):
 *       Netty fails the body with whatever it caught, and Vert.x closes the connection in the same turn. The
 *       failure is marked {@link MalformedChunks} (a decoder exception), which the request's body watch
 *       ({@link RequestDeadlines}) answers with a 400 before the connection goes.</li>
 * </ul>
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(StrictRequestDecoder.class);
    /** The name Vert.x gives its request decoder in a connection's pipeline. */
    private static final String DECODER = "httpDecoder";

    /** A request with both Content-Length and Transfer-Encoding (an invalid request's cause). */
    static final class BodyLengthConflict extends DecoderException {
        BodyLengthConflict() {
            super("Content-Length and Transfer-Encoding together");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a client's mistake, answered and never logged with a trace: not worth one per request
        }
    }

    /** A chunked body whose framing is broken (a failed body's cause). */
    static final class MalformedChunks extends DecoderException {
        MalformedChunks(Throwable cause) {
            super("malformed chunked body: " + cause.getMessage(), cause);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    /**
     * Puts this decoder in place of Vert.x's on a new connection (the server's connection handler runs before the
     * connection reads anything).
     */
    static void install(HttpConnection connection, HttpServerOptions options) {
        if (!(connection instanceof ConnectionBase base)) {
            return; // not an HTTP/1.1 connection of Vert.x's (h2c is disabled on this port)
        }
        ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
        ChannelHandler decoder = pipeline.get(DECODER);
        if (decoder instanceof VertxHttpRequestDecoder && !(decoder instanceof StrictRequestDecoder)) {
            pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
        } else if (!(decoder instanceof StrictRequestDecoder)) {
            LOG.warn("No Vert.x request decoder named '{}' on a business connection (found {}):"
                    + " requests with Content-Length and Transfer-Encoding together are not refused", DECODER, decoder);
        }
    }

    /** Called by Netty for an HTTP/1.1 request with both headers: throwing makes it an invalid request. */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new BodyLengthConflict();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            if (out.get(i) instanceof HttpContent content && !(content instanceof HttpMessage)
                    && content.decoderResult().isFailure()
                    && !(content.decoderResult().cause() instanceof MalformedChunks)) {
                // only chunked bodies fail while decoding (a fixed-length body is cut into parts, never parsed);
                // an invalid request is a full message, a content too: its cause stays
                content.setDecoderResult(DecoderResult.failure(new MalformedChunks(content.decoderResult().cause())));
            }
        }
    }
}
