package org.octgateway.validation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A comma-separated allow-list from the settings: exact names, or {@code *.suffix} for a domain and its
 * subdomains. Empty allows everything (the default, so development needs no list).
 */
public final class AllowList {

    private final List<String> entries;

    public AllowList(String setting) {
        this.entries = setting == null ? List.of() : Arrays.stream(setting.split(","))
                .map(String::trim).filter(entry -> !entry.isEmpty())
                .map(entry -> entry.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean allows(String name) {
        if (entries.isEmpty()) {
            return true;
        }
        String candidate = name.toLowerCase(Locale.ROOT);
        for (String entry : entries) {
            if (entry.startsWith("*.") ? candidate.endsWith(entry.substring(1)) || candidate.equals(entry.substring(2))
                    : candidate.equals(entry)) {
                return true;
            }
        }
        return false;
    }
}
