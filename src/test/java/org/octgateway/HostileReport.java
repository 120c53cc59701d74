package org.octgateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the outcome of every hostile-input case, by class, and writes them to
 * {@code target/hostile-report/<test class>.txt}: what was expected and what the gateway answered instead, so a
 * reviewer sees which classes of input are still mishandled without reading hundreds of stack traces.
 */
final class HostileReport {

    interface Exchange {
        RawHttp.Response send() throws IOException;
    }

    private final String name;
    private final Map<String, int[]> passedAndFailed = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    HostileReport(String name) {
        this.name = name;
    }

    /** Runs one case and records its outcome; a failure is rethrown for JUnit. */
    synchronized void run(HostileCase hostile, Exchange exchange) throws IOException {
        int[] counts = passedAndFailed.computeIfAbsent(hostile.kind(), kind -> new int[2]);
        try {
            exchange.send();
            counts[0]++;
        } catch (AssertionError | IOException | RuntimeException e) {
            counts[1]++;
            failures.add(hostile + "\n    expected: " + hostile.expect().describe() + "\n    got: "
                    + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
            throw e;
        }
    }

    synchronized void write() throws IOException {
        StringBuilder text = new StringBuilder(name + ": hostile-input cases per class (passed / failed)\n");
        int passed = 0;
        int failed = 0;
        for (Map.Entry<String, int[]> entry : passedAndFailed.entrySet()) {
            text.append(String.format("  %-22s %4d / %4d%n", entry.getKey(), entry.getValue()[0], entry.getValue()[1]));
            passed += entry.getValue()[0];
            failed += entry.getValue()[1];
        }
        text.append(String.format("  %-22s %4d / %4d%n%nFailures:%n", "total", passed, failed));
        failures.forEach(failure -> text.append(failure).append('\n'));
        Path file = Path.of("target", "hostile-report", name + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        System.out.println(text.substring(0, text.indexOf("Failures:")) + "(details: " + file.toAbsolutePath() + ")");
    }
}
