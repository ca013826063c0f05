package io.daskkubernetes.operator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.model.SpecException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator-era keys of Dask's configuration, under the caller's explicit values. */
class OperatorClusterSettingsTest {

    private static DaskConfig defaults() {
        return DaskConfig.load(ConfigSources.of(List.of(), Map.of()));
    }

    @Test
    void withNothingSetTheNameIsDaskUserUuidAndTheTemplateIsUpstreams() {
        OperatorClusterSettings settings =
                new OperatorClusterSettings(defaults(), Map.of("USER", "Jo.Vyan"));

        assertThat(settings.name(null)).matches("dask-jovyan-[0-9a-f-]{10}");
        WorkerTemplate template = settings.template(null, null, null, null);
        assertThat(template.image()).isEqualTo("ghcr.io/dask/dask:latest");
        assertThat(template.command()).containsExactly("dask-worker");
        assertThat(template.resources()).isNull();
        assertThat(settings.resourceTimeout(null)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void configuredKeysApplyAndExplicitValuesWin() {
        DaskConfig config =
                defaults()
                        .with("kubernetes.image", "example.org/dask:1")
                        .with("kubernetes.worker-command", "dask-worker --nthreads 2")
                        .with("kubernetes.resources", Map.of("limits", Map.of("memory", "1Gi")))
                        .with("kubernetes.env", Map.of("FROM_CONFIG", 1))
                        .with("kubernetes.resource-timeout", "2 minutes");
        OperatorClusterSettings settings = new OperatorClusterSettings(config, Map.of());

        WorkerTemplate configured = settings.template(null, null, null, null);
        assertThat(configured.image()).isEqualTo("example.org/dask:1");
        assertThat(configured.command()).containsExactly("dask-worker", "--nthreads", "2");
        assertThat(configured.resources().getLimits().get("memory")).isEqualTo(new Quantity("1Gi"));
        assertThat(configured.env()).containsExactlyEntriesOf(Map.of("FROM_CONFIG", "1"));
        assertThat(settings.resourceTimeout(null)).isEqualTo(Duration.ofMinutes(2));

        WorkerTemplate explicit =
                settings.template("mine:2", null, Map.of("A", "b"), List.of("my-worker"));
        assertThat(explicit.image()).isEqualTo("mine:2");
        assertThat(explicit.env()).containsExactlyEntriesOf(Map.of("A", "b"));
        assertThat(explicit.command()).containsExactly("my-worker");
        assertThat(settings.resourceTimeout(Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anExplicitNameIsKeptOrFormattedAndABadOneIsRefused() {
        OperatorClusterSettings settings =
                new OperatorClusterSettings(defaults(), Map.of("USER", "ana", "TEAM", "ml"));

        assertThat(settings.name("my-dask")).isEqualTo("my-dask");
        assertThat(settings.name("{TEAM}-{user}")).isEqualTo("ml-ana");
        assertThatThrownBy(() -> settings.name("My_Dask"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("name");
    }
}
