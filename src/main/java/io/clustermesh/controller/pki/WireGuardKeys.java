package io.clustermesh.controller.pki;

import io.clustermesh.controller.problems.ProblemException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * Curve25519 keys in WireGuard's forms (contract §10): the agent's key file holds the raw 32
 * private bytes; the CiliumNode annotation {@code network.cilium.io/wg-pub-key} holds the public
 * key as 44 characters of standard base64.
 */
public final class WireGuardKeys {
    public static final int KEY_LENGTH = 32;
    public static final int ENCODED_LENGTH = 44;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WireGuardKeys() {}

    public static WireGuardKeyPair generate() {
        byte[] privateKey = generatePrivateKey();
        return new WireGuardKeyPair(privateKey, publicKeyOf(privateKey));
    }

    /**
     * 32 random bytes, clamped as {@code wg genkey} does. Cilium writes a hand-made key file as
     * is and does not clamp it (contract §11), so we never hand it an unclamped scalar.
     */
    public static byte[] generatePrivateKey() {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        return clamp(key);
    }

    /** RFC 7748 §5 clamping, on a copy. */
    public static byte[] clamp(byte[] privateKey) {
        requireLength(privateKey, "privateKey");
        byte[] clamped = privateKey.clone();
        clamped[0] &= (byte) 0xF8;
        clamped[31] &= (byte) 0x7F;
        clamped[31] |= (byte) 0x40;
        return clamped;
    }

    /** X25519 base-point multiplication; BouncyCastle clamps the scalar itself, as WireGuard does. */
    public static byte[] publicKeyOf(byte[] privateKey) {
        requireLength(privateKey, "privateKey");
        return new X25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
    }

    public static String encode(byte[] key) {
        requireLength(key, "key");
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Decodes a key in WireGuard's text form: exactly 44 characters of canonical standard base64
     * for 32 bytes. Error messages name the field but never echo the value (it may be private).
     */
    public static byte[] decode(String base64, String field) {
        if (base64 == null || base64.length() != ENCODED_LENGTH) {
            throw ProblemException.invalid(
                    field,
                    "a WireGuard key is " + ENCODED_LENGTH + " characters of base64, got "
                            + (base64 == null ? "nothing" : base64.length() + " characters"));
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "a WireGuard key must be standard base64");
        }
        if (key.length != KEY_LENGTH) {
            throw ProblemException.invalid(field, "a WireGuard key is " + KEY_LENGTH + " bytes, got " + key.length);
        }
        if (!Base64.getEncoder().encodeToString(key).equals(base64)) {
            throw ProblemException.invalid(field, "a WireGuard key must be canonical base64");
        }
        return key;
    }

    /**
     * Checks a public key as published on a CiliumNode. All-zero is refused: it is the X25519
     * identity output of low-order points, and no real agent publishes it.
     */
    public static byte[] validatePublicKey(String base64, String field) {
        byte[] key = decode(base64, field);
        if (Arrays.equals(key, new byte[KEY_LENGTH])) {
            throw ProblemException.invalid(field, "the WireGuard public key is all zeroes");
        }
        return key;
    }

    /**
     * First 8 bytes of SHA-256 of the raw public key, as 16 hex characters: short enough to show in
     * a table, long enough to tell two nodes' keys apart, and safe to log.
     */
    public static String fingerprint(byte[] publicKey) {
        requireLength(publicKey, "publicKey");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static void requireLength(byte[] key, String field) {
        if (key == null || key.length != KEY_LENGTH) {
            throw ProblemException.invalid(
                    field,
                    "a WireGuard key is " + KEY_LENGTH + " bytes, got " + (key == null ? "nothing" : key.length));
        }
    }
}
