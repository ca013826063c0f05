package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredWorkersTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void roundTripsThroughTheOwnersData() {
        DesiredWorkers desired = new DesiredWorkers(3, T);

        assertThat(DesiredWorkers.of(owner(desired.ownerData()))).contains(desired);
        assertThat(DesiredWorkers.of(owner(Map.of("namespace", "default")))).isEmpty();
    }

    @Test
    void aRequestMadeLaterWithinTheWindowStandsAgainstAnEarlierOneThatArrivesLate() {
        DesiredWorkers stored = new DesiredWorkers(3, T.plusMillis(700));
        DesiredWorkers slowStarter = new DesiredWorkers(6, T);

        assertThat(stored.supersedes(slowStarter)).isTrue();
        assertThat(slowStarter.supersedes(stored)).as("the later one replaces it").isFalse();
    }

    @Test
    void beyondTheWindowTheLaterWriteWinsSoASkewedClockCannotBlockScaling() {
        DesiredWorkers fromAClockInTheFuture = new DesiredWorkers(3, T.plusSeconds(3600));

        assertThat(fromAClockInTheFuture.supersedes(new DesiredWorkers(5, T))).isFalse();
        assertThat(new DesiredWorkers(3, T).supersedes(new DesiredWorkers(5, T))).isFalse();
    }

    @Test
    void aDamagedEntryNamesTheFieldAndTheFix() {
        assertThatThrownBy(() -> DesiredWorkers.of(owner(Map.of("workers-desired", "many"))))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("data.workers-desired")
                .hasMessageContaining("dask-kubernetes scale");
        assertThatThrownBy(() -> DesiredWorkers.of(owner(Map.of("workers-desired", "-2"))))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("use 0 or more");
    }

    private static ConfigMap owner(Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName("c1")
                .endMetadata()
                .withData(data)
                .build();
    }
}
