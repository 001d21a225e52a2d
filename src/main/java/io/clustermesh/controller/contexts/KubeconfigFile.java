package io.clustermesh.controller.contexts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One kubeconfig file as read from disk. Its content holds credentials: never log or show it. */
record KubeconfigFile(Path path, String content, String fingerprint) {

    static KubeconfigFile read(Path path) throws IOException {
        String content = Files.readString(path, StandardCharsets.UTF_8);
        return new KubeconfigFile(path, content, sha256(content));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "KubeconfigFile[" + path + "]";
    }
}
