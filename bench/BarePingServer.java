import io.vertx.core.Vertx;

/**
 * The /ping reference (bench/README.md): a bare Vert.x HTTP server, default options as the gateway's business port
 * has them, answering every request as the gateway's /ping does (200, {@code Content-Type: application/json},
 * {@code {"status":"ok"}}) with no logic at all. Measured with the same hey command just before the gateway's /ping
 * row: what this machine and hey give a server that does nothing else, the measure of the gateway's p99.
 * Run by bench/SideBySide.java as {@code java -cp target/oct-inference-gateway.jar bench/BarePingServer.java <port>}.
 */
public class BarePingServer {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx.vertx().createHttpServer()
                .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
                        .end("{\"status\":\"ok\"}"))
                .listen(port, "127.0.0.1")
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }
}
