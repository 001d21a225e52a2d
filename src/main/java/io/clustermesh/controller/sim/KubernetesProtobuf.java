package io.clustermesh.controller.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads the Kubernetes protobuf encoding ({@code application/vnd.kubernetes.protobuf}) of the
 * objects real clients send that way. Helm's Secret storage driver (client-go) POSTs and PUTs its
 * release records as protobuf; a real API server takes them, fabric8's mock only speaks JSON. The
 * body is the 4-byte magic {@code k8s\0}, then a {@code runtime.Unknown} (typeMeta 1, raw 2,
 * contentEncoding 3, contentType 4) whose raw bytes are the object, here a core/v1 Secret
 * (metadata 1, data 2, type 3, stringData 4, immutable 5; field numbers of
 * k8s.io/api/core/v1/generated.proto). Anything else, or malformed bytes, is refused with
 * {@link RequestRefused}, as the API server answers 415 or 400.
 */
final class KubernetesProtobuf {
    static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesProtobuf() {}

    static boolean isProtobuf(String contentType) {
        return contentType != null
                && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(CONTENT_TYPE);
    }

    /** The JSON of the object in a protobuf request body; only the kinds listed in the class comment are known. */
    static String toJson(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new RequestRefused(
                    400, "BadRequest", "provided object is not a protobuf envelope (missing k8s\\0 prefix)");
        }
        Reader envelope = new Reader(body, MAGIC.length, body.length);
        String apiVersion = "";
        String kind = "";
        byte[] raw = null;
        String contentEncoding = "";
        while (envelope.more()) {
            int tag = envelope.tag();
            switch (tag) {
                case 1 << 3 | 2 -> {
                    Reader typeMeta = envelope.message();
                    while (typeMeta.more()) {
                        int t = typeMeta.tag();
                        if (t == (1 << 3 | 2)) {
                            apiVersion = typeMeta.string();
                        } else if (t == (2 << 3 | 2)) {
                            kind = typeMeta.string();
                        } else {
                            typeMeta.skip(t);
                        }
                    }
                }
                case 2 << 3 | 2 -> raw = envelope.bytes();
                case 3 << 3 | 2 -> contentEncoding = envelope.string();
                default -> envelope.skip(tag);
            }
        }
        if (raw == null || !contentEncoding.isEmpty()) {
            throw new RequestRefused(
                    400,
                    "BadRequest",
                    "protobuf envelope without raw object or with content encoding " + contentEncoding);
        }
        if ("v1".equals(apiVersion) && "Secret".equals(kind)) {
            return secret(new Reader(raw, 0, raw.length)).toString();
        }
        if (("v1".equals(apiVersion) || "meta.k8s.io/v1".equals(apiVersion)) && "DeleteOptions".equals(kind)) {
            return "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\"}";
        }
        throw new RequestRefused(
                415,
                "UnsupportedMediaType",
                "the simulated API server reads protobuf only for v1 Secret, not " + apiVersion + " " + kind);
    }

    private static ObjectNode secret(Reader in) {
        ObjectNode secret = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
        while (in.more()) {
            int tag = in.tag();
            switch (tag) {
                case 1 << 3 | 2 -> secret.set("metadata", objectMeta(in.message()));
                case 2 << 3 | 2 -> {
                    String[] entry = mapEntry(in.message(), true);
                    secret.withObject("/data").put(entry[0], entry[1]);
                }
                case 3 << 3 | 2 -> secret.put("type", in.string());
                case 4 << 3 | 2 -> {
                    String[] entry = mapEntry(in.message(), false);
                    secret.withObject("/stringData").put(entry[0], entry[1]);
                }
                case 5 << 3 -> secret.put("immutable", in.varint() != 0);
                default -> in.skip(tag);
            }
        }
        return secret;
    }

    private static ObjectNode objectMeta(Reader in) {
        ObjectNode meta = JSON.createObjectNode();
        while (in.more()) {
            int tag = in.tag();
            switch (tag) {
                case 1 << 3 | 2 -> meta.put("name", in.string());
                case 2 << 3 | 2 -> meta.put("generateName", in.string());
                case 3 << 3 | 2 -> meta.put("namespace", in.string());
                case 5 << 3 | 2 -> meta.put("uid", in.string());
                case 6 << 3 | 2 -> meta.put("resourceVersion", in.string());
                case 11 << 3 | 2 -> {
                    String[] entry = mapEntry(in.message(), false);
                    meta.withObject("/labels").put(entry[0], entry[1]);
                }
                case 12 << 3 | 2 -> {
                    String[] entry = mapEntry(in.message(), false);
                    meta.withObject("/annotations").put(entry[0], entry[1]);
                }
                case 14 << 3 | 2 -> {
                    ArrayNode finalizers =
                            meta.has("finalizers") ? (ArrayNode) meta.get("finalizers") : meta.putArray("finalizers");
                    finalizers.add(in.string());
                }
                // Server-set or not used by clients that write Secrets this way (selfLink, generation,
                // timestamps, owner references, managed fields): read past them.
                default -> in.skip(tag);
            }
        }
        return meta;
    }

    /** A map entry (key 1, value 2); bytes values come back base64, as JSON carries them. */
    private static String[] mapEntry(Reader in, boolean bytesValue) {
        String key = "";
        String value = "";
        while (in.more()) {
            int tag = in.tag();
            if (tag == (1 << 3 | 2)) {
                key = in.string();
            } else if (tag == (2 << 3 | 2)) {
                byte[] v = in.bytes();
                value = bytesValue ? Base64.getEncoder().encodeToString(v) : new String(v, StandardCharsets.UTF_8);
            } else {
                in.skip(tag);
            }
        }
        return new String[] {key, value};
    }

    /** Protobuf wire format over a slice of bytes; every read is bounds-checked. */
    private static final class Reader {
        private final byte[] buffer;
        private int position;
        private final int end;

        Reader(byte[] buffer, int from, int to) {
            this.buffer = buffer;
            this.position = from;
            this.end = to;
        }

        boolean more() {
            return position < end;
        }

        int tag() {
            long tag = varint();
            if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
                throw malformed("field number 0");
            }
            return (int) tag;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw malformed("truncated varint");
                }
                byte b = buffer[position++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw malformed("varint longer than 10 bytes");
        }

        private int length() {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw malformed("length " + length + " beyond the message");
            }
            return (int) length;
        }

        byte[] bytes() {
            int length = length();
            byte[] out = Arrays.copyOfRange(buffer, position, position + length);
            position += length;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Reader message() {
            int length = length();
            Reader nested = new Reader(buffer, position, position + length);
            position += length;
            return nested;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw malformed("wire type " + (tag & 7));
            }
        }

        private void advance(int bytes) {
            if (bytes > end - position) {
                throw malformed("truncated field");
            }
            position += bytes;
        }

        private static RequestRefused malformed(String what) {
            return new RequestRefused(400, "BadRequest", "malformed protobuf: " + what);
        }
    }
}
