package io.daskkubernetes.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame layout of one Dask message on a TCP comm (distributed/comm/tcp.py and
 * distributed/protocol/utils.py pack_frames), every integer an unsigned 64-bit little-endian:
 *
 * <pre>
 * u64 total   (bytes after this field = 8 + 8*nframes + sum of frame lengths)
 * u64 nframes
 * u64 len[0] ... len[nframes-1]
 * frame[0] ... frame[nframes-1]
 * </pre>
 *
 * Reading never trusts a length before checking it against a limit, so a garbled header cannot make
 * us allocate gigabytes or wait for bytes that will never come.
 */
public final class DaskFrames {

    /**
     * Default cap on one incoming message; an identity reply of a few thousand workers is far below
     * it.
     */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 256L * 1024 * 1024;

    private static final int LONG_BYTES = Long.BYTES;

    private DaskFrames() {}

    /** The bytes of one message made of the given frames, header included. */
    public static byte[] encode(List<byte[]> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a Dask message needs at least one frame");
        }
        long payload = 0;
        for (byte[] frame : frames) {
            payload += frame.length;
        }
        long total = LONG_BYTES + (long) LONG_BYTES * frames.size() + payload;
        if (LONG_BYTES + total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "message of " + total + " bytes is too large to encode");
        }
        ByteBuffer buffer =
                ByteBuffer.allocate((int) (LONG_BYTES + total)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(total);
        buffer.putLong(frames.size());
        for (byte[] frame : frames) {
            buffer.putLong(frame.length);
        }
        for (byte[] frame : frames) {
            buffer.put(frame);
        }
        return buffer.array();
    }

    /**
     * Reads exactly one message from the stream and splits it into its frames.
     *
     * @throws SchedulerConnectionException if the stream ends before or inside the message, if the
     *     header is inconsistent, or if the message is larger than {@code maxMessageBytes}
     * @throws IOException if the stream itself fails (a read timeout, a reset)
     */
    public static List<byte[]> read(InputStream in, long maxMessageBytes) throws IOException {
        byte[] totalField = in.readNBytes(LONG_BYTES);
        if (totalField.length == 0) {
            throw new SchedulerConnectionException(
                    "connection closed by the peer: no message where one was expected");
        }
        if (totalField.length < LONG_BYTES) {
            throw new SchedulerConnectionException(
                    "truncated message: connection closed after "
                            + totalField.length
                            + " of the 8 bytes of the length field");
        }
        long total = littleEndian(totalField).getLong();
        // Java longs are signed: a "negative" value is an unsigned length above 2^63, oversize too.
        if (total < 0 || total > maxMessageBytes) {
            throw new SchedulerConnectionException(
                    "garbled or oversize message: its header announces "
                            + Long.toUnsignedString(total)
                            + " bytes, the limit is "
                            + maxMessageBytes
                            + " (is this a Dask comm port?)");
        }
        if (total < LONG_BYTES) {
            throw new SchedulerConnectionException(
                    "garbled message: its header announces "
                            + total
                            + " bytes, too few for even the frame count");
        }
        byte[] body = in.readNBytes((int) total);
        if (body.length < total) {
            throw new SchedulerConnectionException(
                    "truncated message: connection closed after "
                            + body.length
                            + " of "
                            + total
                            + " announced bytes");
        }
        return split(body);
    }

    /** Splits a message body (everything after the total length field) into frames. */
    static List<byte[]> split(byte[] body) {
        ByteBuffer buffer = littleEndian(body);
        long nframes = buffer.getLong();
        long headerBytes = LONG_BYTES + LONG_BYTES * Math.max(0, nframes);
        if (nframes <= 0 || nframes > (body.length - LONG_BYTES) / LONG_BYTES) {
            throw new SchedulerConnectionException(
                    "garbled message: frame count "
                            + Long.toUnsignedString(nframes)
                            + " does not fit a message of "
                            + body.length
                            + " bytes");
        }
        long[] lengths = new long[(int) nframes];
        long sum = 0;
        for (int i = 0; i < nframes; i++) {
            lengths[i] = buffer.getLong();
            if (lengths[i] < 0 || lengths[i] > body.length) {
                throw new SchedulerConnectionException(
                        "garbled message: frame "
                                + i
                                + " announces "
                                + Long.toUnsignedString(lengths[i])
                                + " bytes in a message of "
                                + body.length);
            }
            sum += lengths[i];
        }
        if (headerBytes + sum != body.length) {
            throw new SchedulerConnectionException(
                    "garbled message: frame lengths add up to "
                            + sum
                            + " bytes but the message holds "
                            + (body.length - headerBytes)
                            + " bytes of frames");
        }
        List<byte[]> frames = new ArrayList<>((int) nframes);
        for (long length : lengths) {
            byte[] frame = new byte[(int) length];
            buffer.get(frame);
            frames.add(frame);
        }
        return frames;
    }

    private static ByteBuffer littleEndian(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes the header and frames of one message as a single buffer, so a message is never
     * interleaved.
     */
    static void write(OutputStream out, List<byte[]> frames) throws IOException {
        out.write(encode(frames));
        out.flush();
    }
}
