package io.clustermesh.controller.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One snapshot of health as it goes on the wire: the JSON bytes, the HTTP status and a strong
 * ETag over the bytes. Built once per snapshot, so serving a request copies no more than a
 * reference; the body lives in direct memory so the socket write needs no extra copy either.
 */
record HealthDocument(HealthReport report, int status, Buffer body, String etag) {

    static HealthDocument of(HealthReport report, ObjectMapper json) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health report not serialisable", e);
        }
        // Unreleasable: every response writes a duplicate of the same buffer, and none may free it.
        Buffer body = Buffer.buffer(Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)));
        return new HealthDocument(report, report.status() == HealthStatus.HEALTHY ? 200 : 503, body, etagOf(bytes));
    }

    /**
     * Whether an {@code If-None-Match} header names this document (RFC 9110 13.1.2: {@code *} or
     * a list of entity tags, compared weakly, so {@code W/"x"} matches {@code "x"}).
     */
    boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** 128 bits of the body's SHA-256: changes whenever a byte does (checkedAt changes every refresh). */
    static String etagOf(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
