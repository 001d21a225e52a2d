package io.clustermesh.controller.tailscale;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Last line of defence: scrubs every secret we hold from text that came from elsewhere (server
 * error messages, I/O exception messages) before it goes into a log line or an exception.
 */
final class SecretRedactor {
    private static final int MAX_TOKENS = 8;
    // Every Tailscale secret (API token, client secret, auth key) starts "tskey-" (§1, §2, §5).
    private static final Pattern TAILSCALE_KEY = Pattern.compile("tskey-[A-Za-z0-9_-]+");
    private final List<String> permanent = new ArrayList<>();
    private final Deque<String> tokens = new ArrayDeque<>();

    /** The API key or OAuth client secret: kept for the client's lifetime. */
    synchronized void addSecret(String secret) {
        if (secret != null && !secret.isEmpty()) {
            permanent.add(secret);
        }
    }

    /** Access tokens rotate hourly; only the last few can still be valid, so only those are kept. */
    synchronized void addToken(String token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        tokens.addFirst(token);
        while (tokens.size() > MAX_TOKENS) {
            tokens.removeLast();
        }
    }

    synchronized String scrub(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String s : permanent) {
            out = out.replace(s, "****");
        }
        for (String s : tokens) {
            out = out.replace(s, "****");
        }
        return TAILSCALE_KEY.matcher(out).replaceAll("tskey-****");
    }
}
