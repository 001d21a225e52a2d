package io.clustermesh.controller.api;

import io.clustermesh.controller.config.MeshConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Bearer tokens, held only as SHA-256 hashes. Lookup hashes the presented token once and compares
 * it against every known hash with a constant-time comparison, never stopping at the first match,
 * so timing tells nothing about which token (or how much of it) was right.
 */
@ApplicationScoped
public class TokenRegistry {

    private record Entry(String name, byte[] sha256, Role role) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    public TokenRegistry(MeshConfig config) {
        config.auth()
                .tokens()
                .forEach((name, token) -> entries.add(new Entry(
                        name, HexFormat.of().parseHex(token.sha256().trim().toLowerCase()), Role.parse(token.role()))));
    }

    /** Registers a token at run time (the demo's generated tokens); only its hash is kept. */
    public void register(String name, String token, Role role) {
        entries.add(new Entry(name, sha256(token), role));
    }

    public Optional<Caller> authenticate(String presentedToken) {
        byte[] presented = sha256(presentedToken);
        Entry match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.sha256(), presented) && match == null) {
                match = entry;
            }
        }
        return Optional.ofNullable(match).map(e -> new Caller(e.name(), e.role()));
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }
}
