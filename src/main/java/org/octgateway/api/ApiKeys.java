package org.octgateway.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The callers of the business API and their keys: {@code caller-name:key} entries, from the setting
 * {@code gateway.api-keys} (comma-separated) and/or a file (one entry a line, '#' comments).
 * Only SHA-256 digests of the keys are kept; a presented key is matched by comparing its digest with every
 * caller's digest in constant time ({@link MessageDigest#isEqual}), so neither the keys' content nor their
 * length shows in the answer time. Error messages name the entry's position or caller, never a key.
 */
public final class ApiKeys {

    /** The caller name of every request while no key is configured. */
    public static final String ANONYMOUS = "anonymous";
    /** Shorter keys are guessable; generate them with e.g. {@code openssl rand -hex 32}. */
    static final int MIN_KEY_LENGTH = 16;
    /** Caller names appear in logs, metrics and job records: short and plain. */
    private static final Pattern CALLER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private record Caller(String name, byte[] keyDigest) {
    }

    private final List<Caller> callers;

    private ApiKeys(List<Caller> callers) {
        this.callers = List.copyOf(callers);
    }

    /**
     * Parses the setting's value and the file's lines together.
     *
     * @param setting {@code name:key,name2:key2}, may be empty
     * @param file    a file of {@code name:key} lines, or null / blank for none
     * @throws IllegalArgumentException naming the malformed entry (never its key)
     */
    public static ApiKeys of(String setting, String file) {
        List<String> entries = new ArrayList<>();
        if (setting != null) {
            for (String entry : setting.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        if (file != null && !file.isBlank()) {
            try {
                for (String line : Files.readAllLines(Path.of(file.strip()), StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && !line.strip().startsWith("#")) {
                        entries.add(line.strip());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read gateway.api-keys-file " + file, e);
            }
        }
        return new ApiKeys(parse(entries));
    }

    private static List<Caller> parse(List<String> entries) {
        List<Caller> callers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            int colon = entry.indexOf(':');
            String where = "API key entry " + (i + 1);
            if (colon < 0) {
                throw new IllegalArgumentException(where + " is not 'caller-name:key'");
            }
            String name = entry.substring(0, colon).strip();
            String key = entry.substring(colon + 1).strip();
            if (!CALLER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": the caller name must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (ANONYMOUS.equals(name)) {
                throw new IllegalArgumentException(where + ": '" + ANONYMOUS + "' is the name of callers without a key");
            }
            if (key.length() < MIN_KEY_LENGTH || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(where + " (caller '" + name + "'): the key must be at least "
                        + MIN_KEY_LENGTH + " characters, without spaces");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": caller '" + name + "' is named twice");
            }
            byte[] digest = sha256(key);
            if (!digests.add(HexFormat.of().formatHex(digest))) {
                throw new IllegalArgumentException(where + " (caller '" + name + "'): another caller has the same key");
            }
            callers.add(new Caller(name, digest));
        }
        return callers;
    }

    /** True when no key is configured: every request is the {@link #ANONYMOUS} caller. */
    public boolean isEmpty() {
        return callers.isEmpty();
    }

    /** The configured caller names, for logs and bounded metric labels. */
    public List<String> callerNames() {
        return callers.stream().map(Caller::name).toList();
    }

    /** The caller whose key {@code presented} is; empty for an unknown key. Takes the same time whatever it is. */
    public Optional<String> callerFor(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        String match = null;
        for (Caller caller : callers) {
            // no early exit: every caller's digest is compared, whichever matches
            if (MessageDigest.isEqual(caller.keyDigest(), digest)) {
                match = caller.name();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys" + callerNames(); // never the keys
    }
}
