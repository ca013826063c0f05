package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionComparisonTest {

    @Test
    void namesEachPackageThatDiffersWithEveryVersionAndWhereItRuns() {
        Map<String, Map<String, String>> versions = new LinkedHashMap<>();
        versions.put("scheduler", Map.of("python", "3.11.2", "distributed", "2022.12.1"));
        versions.put("tcp://a:1", Map.of("python", "3.11.2", "distributed", "2022.12.1"));
        versions.put("tcp://b:1", Map.of("python", "3.11.2", "distributed", "2099.1.0"));

        assertThat(VersionComparison.differences(versions))
                .containsExactly(
                        "distributed: scheduler 2022.12.1, tcp://a:1 2022.12.1, tcp://b:1 2099.1.0");
    }

    @Test
    void saysNothingWhenAllAgree() {
        Map<String, String> same = Map.of("dask", "2022.12.1", "msgpack", "1.0.3");
        assertThat(VersionComparison.differences(Map.of("scheduler", same, "tcp://a:1", same)))
                .isEmpty();
    }
}
