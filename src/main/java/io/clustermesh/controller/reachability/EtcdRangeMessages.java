package io.clustermesh.controller.reachability;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The two protobuf messages of {@code etcdserverpb.KV/Range} we need, by hand: a generated client
 * would pull in protobuf and grpc-java for one call. Field numbers from etcd's rpc.proto and
 * kv.proto: RangeRequest.key = 1; RangeResponse.kvs = 2; KeyValue.value = 5.
 */
final class EtcdRangeMessages {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;
    private static final int RANGE_REQUEST_KEY = 1;
    private static final int RANGE_RESPONSE_KVS = 2;
    private static final int KEY_VALUE_VALUE = 5;

    private EtcdRangeMessages() {}

    /** A RangeRequest for exactly {@code key} (no range_end: a single key). */
    static byte[] rangeRequest(byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (RANGE_REQUEST_KEY << 3) | WIRE_LENGTH_DELIMITED);
        writeVarint(out, key.length);
        out.writeBytes(key);
        return out.toByteArray();
    }

    /** The value of the first KeyValue of a RangeResponse, or null when there is none. */
    static byte[] firstValue(byte[] rangeResponse) {
        ByteBuffer response = ByteBuffer.wrap(rangeResponse);
        while (response.hasRemaining()) {
            long tag = readVarint(response);
            if ((int) (tag >>> 3) == RANGE_RESPONSE_KVS && (tag & 7) == WIRE_LENGTH_DELIMITED) {
                ByteBuffer keyValue = slice(response);
                byte[] value = valueOf(keyValue);
                return value == null ? new byte[0] : value;
            }
            skip(response, (int) (tag & 7));
        }
        return null;
    }

    private static byte[] valueOf(ByteBuffer keyValue) {
        while (keyValue.hasRemaining()) {
            long tag = readVarint(keyValue);
            if ((int) (tag >>> 3) == KEY_VALUE_VALUE && (tag & 7) == WIRE_LENGTH_DELIMITED) {
                ByteBuffer value = slice(keyValue);
                byte[] bytes = new byte[value.remaining()];
                value.get(bytes);
                return bytes;
            }
            skip(keyValue, (int) (tag & 7));
        }
        return null;
    }

    private static void skip(ByteBuffer buffer, int wireType) {
        switch (wireType) {
            case WIRE_VARINT -> readVarint(buffer);
            case WIRE_FIXED64 -> advance(buffer, 8);
            case WIRE_LENGTH_DELIMITED -> slice(buffer);
            case WIRE_FIXED32 -> advance(buffer, 4);
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
        }
    }

    private static ByteBuffer slice(ByteBuffer buffer) {
        long length = readVarint(buffer);
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("truncated protobuf field");
        }
        ByteBuffer slice = buffer.slice();
        slice.limit((int) length);
        advance(buffer, (int) length);
        return slice;
    }

    private static void advance(ByteBuffer buffer, int bytes) {
        if (bytes > buffer.remaining()) {
            throw new IllegalArgumentException("truncated protobuf field");
        }
        buffer.position(buffer.position() + bytes);
    }

    private static long readVarint(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw new IllegalArgumentException("truncated protobuf varint");
            }
            byte b = buffer.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("protobuf varint too long");
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
