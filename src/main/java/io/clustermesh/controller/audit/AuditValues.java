package io.clustermesh.controller.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes a request's values safe to log and to keep: control characters are escaped (a {@code %0a}
 * in a path must not start a forged log line) and query strings lose their secrets (a token sent
 * as {@code ?access_token=} was kept verbatim and served back by {@code GET /api/v1/audit}).
 */
public final class AuditValues {
    /** Parameter names that carry credentials in the wild (OAuth, API keys, signed URLs). */
    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(token|key|password|passwd|pwd|secret|auth|credential|signature|sig|session|cookie|jwt|bearer|code).*");
    /** Values that look like a credential whatever their name: long opaque strings of letters and digits, JWTs, Tailscale keys. */
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(?i)(bearer\\s+\\S+|tskey-\\S*|eyJ\\S*|(?=[A-Za-z0-9._~+/=-]*[0-9])(?=[A-Za-z0-9._~+/=-]*[A-Za-z])[A-Za-z0-9._~+/=-]{16,})");

    static final String REDACTED = "<redacted>";
    private static final int MAX = 512;

    private AuditValues() {}

    /** The value with every control character (and the Unicode line separators) written as {@code \\uXXXX}, cut to a bounded length. */
    public static String clean(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 16);
        for (int i = 0; i < value.length() && out.length() < MAX; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.length() < MAX || value.length() <= MAX ? out.toString() : out + "…";
    }

    /** A raw query string with the values of secret-named parameters, and any credential-like value, replaced. */
    public static String query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : rawQuery.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? null : pair.substring(eq + 1);
            String decodedName = decode(name).toLowerCase(Locale.ROOT);
            if (SECRET_VALUE.matcher(decode(name)).matches()) {
                out.append(REDACTED);
                continue;
            }
            out.append(name);
            if (value != null) {
                boolean secret = SECRET_NAME.matcher(decodedName).matches()
                        || SECRET_VALUE.matcher(decode(value)).find();
                out.append('=').append(secret ? REDACTED : value);
            }
        }
        return clean(out.toString());
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
