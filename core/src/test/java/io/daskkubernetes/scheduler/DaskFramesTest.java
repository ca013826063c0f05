package io.daskkubernetes.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaskFramesTest {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * The identity request as distributed 2022.12.1 writes it (8-byte little-endian length fields,
     * then the msgpack frame).
     */
    private static final String IDENTITY_REQUEST_HEX =
            "2400000000000000"
                    + "0100000000000000"
                    + "1400000000000000"
                    + "82"
                    + "a2"
                    + "6f70"
                    + "a8"
                    + "6964656e74697479"
                    + "a5"
                    + "7265706c79"
                    + "c3";

    @Test
    void encodesTheIdentityRequestByteForByteAsDask() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "identity");
        request.put("reply", true);

        byte[] bytes = DaskFrames.encode(List.of(MsgpackValues.pack(request)));

        assertThat(HEX.formatHex(bytes)).isEqualTo(IDENTITY_REQUEST_HEX);
    }

    @Test
    void decodesTheIdentityRequestBytesOfDask() throws IOException {
        List<byte[]> frames = read(HEX.parseHex(IDENTITY_REQUEST_HEX));

        assertThat(frames).hasSize(1);
        assertThat(MsgpackValues.unpack(frames.get(0)))
                .isEqualTo(Map.of("op", "identity", "reply", true));
    }

    @Test
    void roundTripsSeveralFramesIncludingAnEmptyOne() throws IOException {
        List<byte[]> sent = List.of(new byte[] {1, 2, 3}, new byte[0], "pickled".getBytes());

        List<byte[]> received = read(DaskFrames.encode(sent));

        assertThat(received).hasSize(3);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).containsExactly(sent.get(i));
        }
    }

    @Test
    void readsOneMessageAtATimeFromAStream() throws IOException {
        byte[] first = DaskFrames.encode(List.of(MsgpackValues.pack(1)));
        byte[] second = DaskFrames.encode(List.of(MsgpackValues.pack("two")));
        byte[] both =
                ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
        var in = new ByteArrayInputStream(both);

        assertThat(MsgpackValues.unpack(DaskFrames.read(in, 1024).get(0))).isEqualTo(1L);
        assertThat(MsgpackValues.unpack(DaskFrames.read(in, 1024).get(0))).isEqualTo("two");
        assertThat(in.available()).isZero();
    }

    @Test
    void anEmptyStreamIsAClosedConnection() {
        assertThatThrownBy(() -> read(new byte[0]))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("connection closed");
    }

    @Test
    void aTruncatedLengthFieldIsReported() {
        assertThatThrownBy(() -> read(new byte[] {0x24, 0, 0}))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("3 of the 8 bytes");
    }

    @Test
    void aTruncatedBodyIsReported() {
        byte[] whole = HEX.parseHex(IDENTITY_REQUEST_HEX);

        assertThatThrownBy(() -> read(Arrays.copyOf(whole, whole.length - 5)))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("of 36 announced bytes");
    }

    @Test
    void anOversizeLengthIsRefusedBeforeAllocating() {
        byte[] header = longs(Long.MAX_VALUE / 2);

        assertThatThrownBy(() -> DaskFrames.read(new ByteArrayInputStream(header), 1024))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("oversize")
                .hasMessageContaining("the limit is 1024");
    }

    @Test
    void aLengthAboveTwoToThe63IsOversizeNotNegative() {
        byte[] header = longs(-1L);

        assertThatThrownBy(() -> DaskFrames.read(new ByteArrayInputStream(header), 1024))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("18446744073709551615");
    }

    @Test
    void httpTextOnTheWireIsGarbledNotAHugeAllocation() {
        byte[] http = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes();

        assertThatThrownBy(() -> read(http))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("is this a Dask comm port?");
    }

    @Test
    void frameLengthsThatDoNotAddUpAreGarbled() {
        // total 8+8+4 = 20 announces one frame of 4 bytes, but the frame length field says 9.
        byte[] bytes = concat(longs(20, 1, 9), new byte[] {1, 2, 3, 4});

        assertThatThrownBy(() -> read(bytes))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("garbled")
                .hasMessageContaining("frame lengths add up to 9 bytes but the message holds 4");
    }

    @Test
    void aFrameCountThatCannotFitIsGarbled() {
        byte[] bytes = longs(16, 1_000_000, 0);

        assertThatThrownBy(() -> read(bytes))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("frame count 1000000");
    }

    @Test
    void zeroFramesIsGarbled() {
        assertThatThrownBy(() -> read(longs(8, 0)))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("frame count 0");
    }

    @Test
    void encodingNoFrameIsRefused() {
        assertThatThrownBy(() -> DaskFrames.encode(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one frame");
    }

    private static List<byte[]> read(byte[] bytes) throws IOException {
        return DaskFrames.read(
                new ByteArrayInputStream(bytes), DaskFrames.DEFAULT_MAX_MESSAGE_BYTES);
    }

    private static byte[] longs(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
