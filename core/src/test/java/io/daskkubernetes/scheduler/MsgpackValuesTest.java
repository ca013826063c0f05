package io.daskkubernetes.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MsgpackValuesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void roundTripsEveryKindOfValueDaskSends() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("nil", null);
        value.put("yes", true);
        value.put("small", 7L);
        value.put("negative", -300L);
        value.put("huge", new BigInteger("18446744073709551615"));
        value.put("float", 0.25);
        value.put("text", "héllo");
        value.put("list", List.of(1L, "two", List.of()));
        value.put("nested", Map.of("services", Map.of("dashboard", 8787L)));

        Object back = MsgpackValues.unpack(MsgpackValues.pack(value));

        assertThat(back).isEqualTo(value);
        assertThat(List.copyOf(((Map<?, ?>) back).keySet())).isEqualTo(List.copyOf(value.keySet()));
    }

    @Test
    void bytesTravelAsMsgpackBinAndStringsAsStr() {
        assertThat(HEX.formatHex(MsgpackValues.pack(new byte[] {1, 2}))).isEqualTo("c4020102");
        assertThat(HEX.formatHex(MsgpackValues.pack("ab"))).isEqualTo("a26162");
        assertThat((byte[]) MsgpackValues.unpack(HEX.parseHex("c4020102"))).containsExactly(1, 2);
    }

    @Test
    void javaIntegersOfEveryWidthArePackedAsIntegers() {
        assertThat(MsgpackValues.unpack(MsgpackValues.pack(5))).isEqualTo(5L);
        assertThat(MsgpackValues.unpack(MsgpackValues.pack((short) 5))).isEqualTo(5L);
        assertThat(MsgpackValues.unpack(MsgpackValues.pack(Long.MAX_VALUE)))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aDaskSetIsReadAsAList() {
        byte[] set = MsgpackValues.pack(Map.of("__Set__", true, "as-list", List.of("a", "b")));

        assertThat(MsgpackValues.unpack(set)).isEqualTo(List.of("a", "b"));
    }

    @Test
    void anExtensionValueIsKeptNotRejected() {
        Object value = MsgpackValues.unpack(HEX.parseHex("d40507"));

        assertThat(value).isInstanceOf(MsgpackValues.Extension.class);
        assertThat(((MsgpackValues.Extension) value).type()).isEqualTo((byte) 5);
        assertThat(((MsgpackValues.Extension) value).data()).containsExactly(7);
    }

    @Test
    void anUnsupportedJavaTypeIsNamedInTheError() {
        assertThatThrownBy(() -> MsgpackValues.pack(Map.of("when", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.time.Instant");
    }

    @Test
    void theNeverUsedByteIsGarbled() {
        assertThatThrownBy(() -> MsgpackValues.unpack(new byte[] {(byte) 0xc1}))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("garbled");
    }

    @Test
    void aTruncatedValueIsGarbled() {
        byte[] whole = MsgpackValues.pack(Map.of("op", "identity"));

        assertThatThrownBy(() -> MsgpackValues.unpack(Arrays.copyOf(whole, whole.length - 3)))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("garbled");
    }

    @Test
    void aStringLongerThanTheFrameIsGarbledWithoutAllocatingIt() {
        // str32 announcing 2^31-1 bytes, followed by nothing.
        assertThatThrownBy(() -> MsgpackValues.unpack(HEX.parseHex("db7fffffff")))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("announces 2147483647 bytes");
    }

    @Test
    void anArrayCountLargerThanTheFrameIsGarbled() {
        // array32 announcing 2^31-1 entries.
        assertThatThrownBy(() -> MsgpackValues.unpack(HEX.parseHex("dd7fffffff01")))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("announces 2147483647 entries");
    }

    @Test
    void absurdNestingIsGarbledNotAStackOverflow() {
        byte[] deep = new byte[10_000];
        Arrays.fill(deep, (byte) 0x91);

        assertThatThrownBy(() -> MsgpackValues.unpack(deep))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("nested deeper");
    }

    @Test
    void bytesLeftOverAfterTheValueAreGarbled() {
        assertThatThrownBy(() -> MsgpackValues.unpack(new byte[] {0x01, 0x02}))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("1 bytes left over");
    }

    @Test
    void anEmptyFrameIsGarbled() {
        assertThatThrownBy(() -> MsgpackValues.unpack(new byte[0]))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("empty");
    }
}
