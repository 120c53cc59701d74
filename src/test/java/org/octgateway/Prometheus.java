package org.octgateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads the Prometheus text format an operator's scraper reads. */
final class Prometheus {

    private Prometheus() {
    }

    /** Every series (name with its labels, as printed) and its value; comment lines skipped. */
    static Map<String, Double> series(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                series.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // not a sample line
            }
        }
        return series;
    }

    /**
     * The value of {@code series} (exactly as printed, labels in the exporter's order); a name without labels also
     * finds the one series of that name whatever its labels (the queue gauges carry their broker's name).
     */
    static Optional<Double> value(String text, String series) {
        Map<String, Double> all = series(text);
        if (all.containsKey(series) || series.contains("{")) {
            return Optional.ofNullable(all.get(series));
        }
        var labelled = all.entrySet().stream().filter(e -> e.getKey().startsWith(series + "{")).toList();
        return labelled.size() == 1 ? Optional.of(labelled.get(0).getValue()) : Optional.empty();
    }

    /** Whether any sample belongs to metric {@code name} (with or without labels). */
    static boolean hasMetric(String text, String name) {
        return series(text).keySet().stream().anyMatch(s -> s.equals(name) || s.startsWith(name + "{"));
    }
}
