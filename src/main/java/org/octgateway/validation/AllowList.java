package org.octgateway.validation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A comma-separated allow-list from the settings: exact names, {@code *.suffix} for a domain and its
 * subdomains, or {@code *} for everything. An empty list allows nothing: "allow all" is never what an
 * unset setting means here; callers that want a default (e.g. the configured buckets) build it themselves.
 */
public final class AllowList {

    /** The entry that allows every name, when written explicitly. */
    public static final String EVERYTHING = "*";

    private final List<String> entries;

    public AllowList(String setting) {
        this.entries = setting == null ? List.of() : Arrays.stream(setting.split(","))
                .map(String::trim).filter(entry -> !entry.isEmpty())
                .map(entry -> entry.toLowerCase(Locale.ROOT)).toList();
    }

    /** The list a setting names, or {@code fallback} when the setting is empty. */
    public static AllowList orElse(String setting, String fallback) {
        AllowList configured = new AllowList(setting);
        return configured.isEmpty() ? new AllowList(fallback) : configured;
    }

    public boolean allows(String name) {
        if (name == null) {
            return false;
        }
        String candidate = name.toLowerCase(Locale.ROOT);
        for (String entry : entries) {
            if (entry.equals(EVERYTHING) || entry.equals(candidate) || isDomainEntry(entry)
                    && (candidate.endsWith(entry.substring(1)) || candidate.equals(entry.substring(2)))) {
                return true;
            }
        }
        return false;
    }

    /** Nothing is allowed. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** More than one name can pass: several entries, or a wildcard. */
    public boolean allowsSeveral() {
        return entries.size() > 1 || entries.stream().anyMatch(entry -> entry.equals(EVERYTHING) || isDomainEntry(entry));
    }

    private static boolean isDomainEntry(String entry) {
        return entry.startsWith("*.") && entry.length() > 2;
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }
}
