package io.daskkubernetes.scheduler;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Converts plain Java values to and from msgpack, the way Dask's {@code msgpack.dumps(msg,
 * use_bin_type=True)} and {@code msgpack.loads(..., raw=False, strict_map_key=False)} see them:
 * null, Boolean, integers (Long, or BigInteger above Long.MAX_VALUE), Double, String (msgpack str),
 * byte[] (msgpack bin), List (msgpack array) and Map (msgpack map, insertion order kept).
 *
 * <p>Dask writes a Python set as {@code {"__Set__": true, "as-list": [...]}}; it is read back as a
 * List.
 */
public final class MsgpackValues {

    /** Deeper nesting than this is not a Dask message but garbage; stop before the stack does. */
    private static final int MAX_DEPTH = 256;

    /**
     * A msgpack extension value, kept as it came: Dask's messages do not use them, but we must not
     * choke on one.
     */
    public record Extension(byte type, byte[] data) {}

    private MsgpackValues() {}

    /** The msgpack bytes of a value. */
    public static byte[] pack(Object value) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            write(packer, value, 0);
            packer.flush();
            return packer.toByteArray();
        } catch (IOException e) {
            // The buffer packer writes to memory: an IOException here is a bug, not a condition to
            // recover from.
            throw new IllegalStateException("msgpack packing into memory failed", e);
        }
    }

    /**
     * The value held by exactly one msgpack object in {@code bytes}.
     *
     * @throws SchedulerConnectionException if the bytes are not exactly one well-formed msgpack
     *     object
     */
    public static Object unpack(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            if (!unpacker.hasNext()) {
                throw new SchedulerConnectionException("garbled message: empty msgpack frame");
            }
            Object value = read(unpacker, bytes.length, 0);
            if (unpacker.hasNext()) {
                throw new SchedulerConnectionException(
                        "garbled message: "
                                + (bytes.length - unpacker.getTotalReadBytes())
                                + " bytes left over after the msgpack value of a frame of "
                                + bytes.length
                                + " bytes");
            }
            return value;
        } catch (MessagePackException | IOException e) {
            throw new SchedulerConnectionException(
                    "garbled message: not valid msgpack (" + e.getMessage() + ")", e);
        }
    }

    private static void write(MessagePacker packer, Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "value nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (value == null) {
            packer.packNil();
        } else if (value instanceof Boolean b) {
            packer.packBoolean(b);
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            packer.packLong(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            packer.packBigInteger(big);
        } else if (value instanceof Double || value instanceof Float) {
            packer.packDouble(((Number) value).doubleValue());
        } else if (value instanceof CharSequence text) {
            packer.packString(text.toString());
        } else if (value instanceof byte[] bytes) {
            packer.packBinaryHeader(bytes.length);
            packer.writePayload(bytes);
        } else if (value instanceof Collection<?> list) {
            packer.packArrayHeader(list.size());
            for (Object item : list) {
                write(packer, item, depth + 1);
            }
        } else if (value instanceof Map<?, ?> map) {
            packer.packMapHeader(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                write(packer, entry.getKey(), depth + 1);
                write(packer, entry.getValue(), depth + 1);
            }
        } else {
            throw new IllegalArgumentException(
                    "cannot write a "
                            + value.getClass().getName()
                            + " as msgpack: use null, Boolean, a whole number, Double, String, byte[], a Collection or a Map");
        }
    }

    private static Object read(MessageUnpacker unpacker, int size, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new SchedulerConnectionException(
                    "garbled message: msgpack nested deeper than " + MAX_DEPTH + " levels");
        }
        MessageFormat format = unpacker.getNextFormat();
        switch (format.getValueType()) {
            case NIL:
                unpacker.unpackNil();
                return null;
            case BOOLEAN:
                return unpacker.unpackBoolean();
            case INTEGER:
                if (format == MessageFormat.UINT64) {
                    BigInteger big = unpacker.unpackBigInteger();
                    return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
                }
                return unpacker.unpackLong();
            case FLOAT:
                return unpacker.unpackDouble();
            case STRING:
                {
                    int length = unpacker.unpackRawStringHeader();
                    byte[] utf8 = readPayload(unpacker, length, size, "string");
                    return new String(utf8, StandardCharsets.UTF_8);
                }
            case BINARY:
                {
                    int length = unpacker.unpackBinaryHeader();
                    return readPayload(unpacker, length, size, "binary");
                }
            case ARRAY:
                {
                    int count = unpacker.unpackArrayHeader();
                    checkCount(unpacker, count, size, "array");
                    List<Object> list = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        list.add(read(unpacker, size, depth + 1));
                    }
                    return list;
                }
            case MAP:
                {
                    int count = unpacker.unpackMapHeader();
                    checkCount(unpacker, count, size, "map");
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < count; i++) {
                        Object key = read(unpacker, size, depth + 1);
                        map.put(key, read(unpacker, size, depth + 1));
                    }
                    return daskSetAsList(map);
                }
            case EXTENSION:
                {
                    var header = unpacker.unpackExtensionTypeHeader();
                    return new Extension(
                            header.getType(),
                            readPayload(unpacker, header.getLength(), size, "extension"));
                }
            default:
                throw new SchedulerConnectionException(
                        "garbled message: msgpack byte of format "
                                + format
                                + " at offset "
                                + unpacker.getTotalReadBytes());
        }
    }

    /** Dask's msgpack_encode_default writes a set as {"__Set__": True, "as-list": [...]}. */
    private static Object daskSetAsList(Map<Object, Object> map) {
        if (map.size() == 2
                && Boolean.TRUE.equals(map.get("__Set__"))
                && map.get("as-list") instanceof List<?> list) {
            return list;
        }
        return map;
    }

    // A garbled length must fail as garbled, not make us allocate what it claims.
    private static byte[] readPayload(MessageUnpacker unpacker, int length, int size, String what)
            throws IOException {
        long left = size - unpacker.getTotalReadBytes();
        if (length < 0 || length > left) {
            throw new SchedulerConnectionException(
                    "garbled message: msgpack "
                            + what
                            + " announces "
                            + Integer.toUnsignedString(length)
                            + " bytes, only "
                            + left
                            + " left in the frame");
        }
        return unpacker.readPayload(length);
    }

    // Every element takes at least one byte, so a count above the bytes left is garbage.
    private static void checkCount(MessageUnpacker unpacker, int count, int size, String what) {
        long left = size - unpacker.getTotalReadBytes();
        long atLeast =
                "map".equals(what)
                        ? 2L * Integer.toUnsignedLong(count)
                        : Integer.toUnsignedLong(count);
        if (count < 0 || atLeast > left) {
            throw new SchedulerConnectionException(
                    "garbled message: msgpack "
                            + what
                            + " announces "
                            + Integer.toUnsignedString(count)
                            + " entries, only "
                            + left
                            + " bytes left in the frame");
        }
    }

    /** For error messages: a short readable form of a value. */
    static String describe(Object value) {
        if (value == null) {
            return "nil";
        }
        String text =
                value instanceof byte[] bytes
                        ? "bytes"
                                + Arrays.toString(Arrays.copyOf(bytes, Math.min(16, bytes.length)))
                        : value.toString();
        String shortText = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return value.getClass().getSimpleName() + " " + shortText;
    }
}
