package org.octgateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages follow the flow (api → queue → worker → delivery, validation and storage below what uses them):
 * read from the imports of the main sources, as a maintainer would check them.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "org", "octgateway");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.octgateway\\.([a-z]+)\\.", Pattern.MULTILINE);

    private static final Map<String, Set<String>> IMPORTS = new TreeMap<>();

    @BeforeAll
    static void readImports() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file.getParent());
                String pkg = relative.toString().isEmpty() ? "(root)" : relative.getName(0).toString();
                Matcher m = IMPORT.matcher(Files.readString(file));
                Set<String> imported = IMPORTS.computeIfAbsent(pkg, k -> new TreeSet<>());
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        imported.add(m.group(1));
                    }
                }
            }
        }
        assertTrue(IMPORTS.keySet().containsAll(List.of("api", "queue", "worker", "delivery", "storage", "validation", "state")),
                "the flow's packages are where this test looks: " + IMPORTS.keySet());
    }

    @Test
    void noPackageImportsAPackageThatImportsItBackEvenThroughOthers() {
        List<String> cycles = new ArrayList<>();
        for (String start : IMPORTS.keySet()) {
            for (String reached : reachableFrom(start)) {
                if (reachableFrom(reached).contains(start)) {
                    cycles.add(start + " ⇄ " + reached);
                }
            }
        }
        assertEquals(List.of(), cycles, "package imports: " + IMPORTS);
    }

    @Test
    void theFlowPointsDownstreamOnly() {
        // what a stage may know of: what comes after it and what lies below it, never what comes before it
        assertFalse(reachableFrom("queue").contains("api"), "queue must not know the REST side");
        assertFalse(reachableFrom("worker").contains("api"), "worker must not know the REST side");
        assertFalse(reachableFrom("delivery").contains("worker"), "delivery must not know the worker");
        // the state store is written by the stages and knows none of them
        for (String stage : List.of("api", "queue", "worker", "delivery", "storage", "metrics", "operations")) {
            assertFalse(reachableFrom("state").contains(stage), "state must not import " + stage);
        }
        for (String below : List.of("validation", "storage")) {
            for (String stage : List.of("api", "queue", "worker", "delivery")) {
                assertFalse(reachableFrom(below).contains(stage), below + " must not import " + stage);
            }
        }
    }

    private static Set<String> reachableFrom(String pkg) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(IMPORTS.getOrDefault(pkg, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(IMPORTS.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }
}
