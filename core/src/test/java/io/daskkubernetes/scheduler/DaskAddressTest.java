package io.daskkubernetes.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DaskAddressTest {

    @Test
    void parsesTcpAddressesAsDaskWritesThem() {
        assertThat(DaskAddress.parse("tcp://10.0.0.5:8786"))
                .isEqualTo(new DaskAddress("10.0.0.5", 8786));
        assertThat(DaskAddress.parse("dask-abc.default:8786"))
                .isEqualTo(new DaskAddress("dask-abc.default", 8786));
        assertThat(DaskAddress.parse("tcp://[::1]:8786")).isEqualTo(new DaskAddress("::1", 8786));
        assertThat(DaskAddress.parse("tcp://[::1]:8786")).hasToString("tcp://[::1]:8786");
    }

    @Test
    void rejectsWhatIsNotTcpHostPort() {
        assertThatThrownBy(() -> DaskAddress.parse(null))
                .hasMessageContaining("no scheduler address given");
        assertThatThrownBy(() -> DaskAddress.parse("tls://10.0.0.5:8786"))
                .hasMessageContaining("only tcp://");
        assertThatThrownBy(() -> DaskAddress.parse("tcp://10.0.0.5"))
                .hasMessageContaining("is not tcp://host:port");
        assertThatThrownBy(() -> DaskAddress.parse("tcp://10.0.0.5:0"))
                .hasMessageContaining("port 0");
    }

    @Test
    void retiringGetsAtLeastAMinuteWhateverTheTimeout() {
        assertThat(SchedulerTimeouts.of(Duration.ofSeconds(2)).retire())
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(SchedulerTimeouts.of(Duration.ofMinutes(5)).retire())
                .isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> SchedulerTimeouts.of(Duration.ZERO))
                .hasMessageContaining("must be positive");
    }
}
