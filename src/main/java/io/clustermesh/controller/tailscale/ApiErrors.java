package io.clustermesh.controller.tailscale;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reading error bodies and rate-limit hints of API v2 (§1) and the token endpoint (§2). */
final class ApiErrors {
    private static final int MAX_MESSAGE = 300;

    private ApiErrors() {}

    /**
     * The server's explanation: {@code {"message"}} (API v2), or OAuth-style
     * {@code {"error","error_description"}} (token endpoint, U), else the trimmed text.
     */
    static String message(HttpResponse response) {
        String text = response.bodyText().trim();
        try {
            JsonNode root = Json.parse(response.body());
            if (root != null && root.isObject()) {
                String message = Json.text(root, "message");
                if (!message.isEmpty()) {
                    return shorten(message);
                }
                String error = Json.text(root, "error");
                String description = Json.text(root, "error_description");
                if (!error.isEmpty()) {
                    return shorten(description.isEmpty() ? error : error + ": " + description);
                }
            }
        } catch (Exception e) {
            // Not JSON (a proxy's HTML page, say): fall through to the raw text.
        }
        return text.isEmpty() ? "(no body)" : shorten(text);
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110 §10.2.3); presence is U (§1). */
    static Optional<Duration> retryAfter(HttpResponse response, Clock clock) {
        Optional<String> header = response.header("retry-after").map(String::trim);
        if (header.isEmpty() || header.get().isEmpty()) {
            return Optional.empty();
        }
        String value = header.get();
        try {
            long seconds = Long.parseLong(value);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
    }
}
