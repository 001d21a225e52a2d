package io.clustermesh.controller.cilium;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * go-openapi {@code strfmt.DateTime} as Cilium serialises it (contract §7.2): millisecond RFC 3339,
 * and Go's zero time {@code 0001-01-01T00:00:00.000Z} (never omitted) standing for "none".
 */
final class GoTime {
    static final String ZERO = "0001-01-01T00:00:00.000Z";
    private static final Instant ZERO_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private GoTime() {}

    /** Null for absent, empty or zero time. */
    static Instant parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(text.trim()).toInstant();
            return instant.isAfter(ZERO_INSTANT) ? instant : null;
        } catch (DateTimeParseException e) {
            throw new MalformedCiliumOutputException("not an RFC 3339 time: " + text, e);
        }
    }

    static String format(Instant instant) {
        return instant == null ? ZERO : FORMAT.format(instant.atOffset(ZoneOffset.UTC));
    }
}
