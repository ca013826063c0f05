package io.daskkubernetes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DaskConfigTest {

    @TempDir Path dir;

    /**
     * What Python's dask_kubernetes writes on import (dask.config.ensure_file): the package's
     * defaults, every line commented out. Dask loads it, an empty file and a null document as
     * nothing.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "# kubernetes:\n#   name: x\n#   count:\n#     start: 0\n",
                "",
                "\n\n",
                "null\n",
                "---\n",
                "~\n"
            })
    void filesWithNothingInThemLoadAsEmptyAsInDask(String content) throws IOException {
        Path directory = Files.createDirectories(dir.resolve("ensure-file"));
        Files.writeString(directory.resolve("kubernetes.yaml"), content);

        DaskConfig config = DaskConfig.load(ConfigSources.of(List.of(directory), Map.of()));

        assertThat(config.asMap()).isEqualTo(DaskConfig.defaultsOnly().asMap());
        assertThat(config.keysSetByUser("kubernetes")).isEmpty();
    }

    @Test
    void defaultsHoldClassicKeys() {
        DaskConfig config = DaskConfig.defaultsOnly();
        assertThat(config.getString("kubernetes.name")).isEqualTo("dask-{user}-{uuid}");
        assertThat(config.get("kubernetes.namespace")).isEmpty();
        assertThat(config.contains("kubernetes.namespace")).isTrue();
        assertThat(config.getInteger("kubernetes.count.start")).isZero();
        assertThat(config.getInteger("kubernetes.count.max")).isNull();
        assertThat(config.getMap("kubernetes.env")).isEmpty();
        assertThat(config.getString("kubernetes.deploy-mode")).isEqualTo("remote");
        assertThat(config.getString("kubernetes.scheduler-service-type")).isEqualTo("ClusterIP");
        assertThat(config.getInteger("kubernetes.scheduler-service-wait-timeout")).isEqualTo(30);
        assertThat(config.get("kubernetes.idle-timeout")).isEmpty();
        assertThat(config.get("kubernetes.worker-template-path")).isEmpty();
        assertThat(config.getMap("kubernetes.worker-template")).isEmpty();
        assertThat(config.getMap("kubernetes.scheduler-template")).isEmpty();
        assertThat(config.getString("distributed.dashboard.link"))
                .isEqualTo("{scheme}://{host}:{port}/status");
        assertThat(config.origin("kubernetes.count.max")).isEqualTo(DaskConfig.DEFAULTS_SOURCE);
    }

    @Test
    void precedenceIsDefaultsThenFilesInOrderThenEnvThenExplicit() throws IOException {
        Path etc = copy("etc-dask.yaml", dir.resolve("etc"));
        Path user = copy("user-dask.yml", dir.resolve("user"));
        Map<String, String> env = Map.of("DASK_KUBERNETES__NAMESPACE", "from-env");

        DaskConfig config =
                DaskConfig.load(ConfigSources.of(List.of(etc.getParent(), user.getParent()), env));

        // only the defaults set it
        assertThat(config.getString("kubernetes.deploy-mode")).isEqualTo("remote");
        // first file over defaults
        assertThat(config.getInteger("kubernetes.idle-timeout")).isEqualTo(300);
        assertThat(config.origin("kubernetes.idle-timeout")).isEqualTo(etc.toString());
        // later file over earlier file, written with '_' yet the same key as the default's '-'
        assertThat(config.getInteger("kubernetes.count.max")).isEqualTo(7);
        assertThat(config.getString("kubernetes.scheduler-service-type")).isEqualTo("NodePort");
        assertThat(config.origin("kubernetes.scheduler_service_type")).isEqualTo(user.toString());
        // siblings of an overridden key survive the merge
        assertThat(config.getInteger("kubernetes.count.start")).isZero();
        // environment over files
        assertThat(config.getString("kubernetes.namespace")).isEqualTo("from-env");
        assertThat(config.origin("kubernetes.namespace"))
                .isEqualTo("environment variable DASK_KUBERNETES__NAMESPACE");
        // explicit over environment
        DaskConfig explicit = config.with("kubernetes.namespace", "explicit");
        assertThat(explicit.getString("kubernetes.namespace")).isEqualTo("explicit");
        assertThat(explicit.origin("kubernetes.namespace")).isEqualTo(DaskConfig.EXPLICIT_SOURCE);
        // and the original is immutable
        assertThat(config.getString("kubernetes.namespace")).isEqualTo("from-env");
    }

    @Test
    void envVariablesAreParsedAsDaskDoes() {
        Map<String, String> env =
                Map.of(
                        "DASK_KUBERNETES__COUNT__MAX", "10",
                        "DASK_KUBERNETES__WORKER_TEMPLATE_PATH", "/specs/worker.yml",
                        "DASK_KUBERNETES__IDLE_TIMEOUT", "None",
                        "DASK_KUBERNETES__ENV", "{'A': '1', 'B': 2}",
                        "DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES", "['distributed.http.health']",
                        "DASK_CONFIG", "/somewhere",
                        "NOT_DASK", "x");

        DaskConfig config = DaskConfig.load(ConfigSources.of(List.of(), env));

        assertThat(config.get("kubernetes.count.max")).contains(10);
        // '_' in a variable name finds the default's '-' spelling and replaces its value
        assertThat(config.getString("kubernetes.worker-template-path"))
                .isEqualTo("/specs/worker.yml");
        assertThat(config.getMap("kubernetes")).doesNotContainKey("worker_template_path");
        assertThat(config.get("kubernetes.idle-timeout")).isEmpty();
        assertThat(config.getMap("kubernetes.env")).isEqualTo(Map.of("A", "1", "B", 2));
        assertThat(config.get("distributed.scheduler.http.routes"))
                .contains(List.of("distributed.http.health"));
        assertThat(config.contains("config")).isFalse();
        assertThat(config.asMap()).doesNotContainKey("not_dask");
    }

    @Test
    void classicUserFileWorksUnchanged() throws IOException {
        Path file = copy("classic-kubernetes.yaml", dir.resolve("home/.config/dask"));

        DaskConfig config = DaskConfig.load(ConfigSources.of(List.of(file.getParent()), Map.of()));

        // the old key worker-name is the new key name
        assertThat(config.getString("kubernetes.name")).isEqualTo("dask-{JUPYTERHUB_USER}-{uuid}");
        assertThat(config.getString("kubernetes.worker-name"))
                .isEqualTo("dask-{JUPYTERHUB_USER}-{uuid}");
        assertThat(config.origin("kubernetes.name")).isEqualTo(file.toString());
        assertThat(config.getString("kubernetes.worker-template-path"))
                .isEqualTo("${TEMPLATES}/worker-spec.yml");
        assertThat(config.getInteger("kubernetes.count.start")).isEqualTo(2);
        assertThat(config.getInteger("kubernetes.count.max")).isEqualTo(20);
        assertThat(config.getString("kubernetes.scheduler-service-type")).isEqualTo("LoadBalancer");
        assertThat(config.getMap("kubernetes.env")).containsEntry("EXTRA_PIP_PACKAGES", "s3fs");
        assertThat(config.getMap("kubernetes.worker-template")).containsEntry("kind", "Pod");
        assertThat(config.getString("distributed.dashboard.link"))
                .isEqualTo("/user/{JUPYTERHUB_USER}/proxy/{port}/status");
        // keys the file does not mention keep their defaults
        assertThat(config.getString("kubernetes.deploy-mode")).isEqualTo("remote");
    }

    @Test
    void newNameKeyWinsOverOldOneInTheSameLayerAndLaterLayersWin() {
        DaskConfig config =
                DaskConfig.load(
                        ConfigSources.of(
                                List.of(), Map.of("DASK_KUBERNETES__WORKER_NAME", "old-{uuid}")));
        assertThat(config.getString("kubernetes.name")).isEqualTo("old-{uuid}");
        assertThat(config.with("kubernetes.name", "new-{uuid}").getString("kubernetes.worker-name"))
                .isEqualTo("new-{uuid}");
    }

    @Test
    void missingPathsAreSkippedAndSingleFilesAreRead() throws IOException {
        Path file = copy("user-dask.yml", dir);
        DaskConfig config =
                DaskConfig.load(ConfigSources.of(List.of(dir.resolve("absent"), file), Map.of()));
        assertThat(config.getInteger("kubernetes.count.max")).isEqualTo(7);
    }

    @Test
    void valuesAreImmutable() {
        DaskConfig config = DaskConfig.defaultsOnly();
        assertThatThrownBy(() -> config.getMap("kubernetes").put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badFilesAndValuesNameTheSourceKeyAndFix() throws IOException {
        Path notYaml = Files.writeString(dir.resolve("broken.yaml"), "kubernetes: [unclosed\n");
        assertThatThrownBy(() -> DaskConfig.load(ConfigSources.of(List.of(notYaml), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(notYaml.toString())
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("fix the YAML syntax");

        Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        assertThatThrownBy(() -> DaskConfig.load(ConfigSources.of(List.of(list), Map.of())))
                .hasMessageContaining(list.toString())
                .hasMessageContaining("list, not a mapping");

        DaskConfig config =
                DaskConfig.load(
                        ConfigSources.of(List.of(), Map.of("DASK_KUBERNETES__COUNT__MAX", "ten")));
        assertThatThrownBy(() -> config.getInteger("kubernetes.count.max"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "environment variable DASK_KUBERNETES__COUNT__MAX: kubernetes.count.max: \"ten\" is not a whole number; "
                                + "write an integer such as 10, or null");
    }

    private Path copy(String resource, Path targetDir) throws IOException {
        Files.createDirectories(targetDir);
        Path target = targetDir.resolve(resource);
        try (InputStream in = getClass().getResourceAsStream("/config/" + resource)) {
            Files.copy(in, target);
        }
        return target;
    }
}
