package io.daskkubernetes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.daskkubernetes.model.AffinityMode;
import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.ClusterSettings;
import io.daskkubernetes.model.DashboardLink;
import io.daskkubernetes.model.DeployMode;
import io.daskkubernetes.model.MakePodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSettingsResolverTest {

    @TempDir Path dir;

    @Test
    void classicUserConfigurationGivesTheClusterItDescribes() throws IOException {
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.copy(
                Path.of("src/test/resources/spec/worker-spec.yml"),
                templates.resolve("worker-spec.yml"));
        Path configDir = Files.createDirectories(dir.resolve(".config/dask"));
        try (InputStream in = getClass().getResourceAsStream("/config/classic-kubernetes.yaml")) {
            Files.copy(in, configDir.resolve("kubernetes.yaml"));
        }
        Map<String, String> environment =
                Map.of("JUPYTERHUB_USER", "Ada.Lovelace", "TEMPLATES", templates.toString());
        DaskConfig config = DaskConfig.load(ConfigSources.of(List.of(configDir), Map.of()));

        ClusterSettings spec =
                ClusterSettingsResolver.of(config)
                        .environment(environment)
                        .user("jovyan")
                        .uuid(() -> "0a1b2c3d-e")
                        .resolve();

        assertThat(spec.name()).isEqualTo("dask-adalovelace-0a1b2c3d-e");
        assertThat(spec.user()).isEqualTo("jovyan");
        assertThat(spec.countStart()).isEqualTo(2);
        assertThat(spec.countMax()).hasValue(20);
        assertThat(spec.schedulerServiceType()).isEqualTo("LoadBalancer");
        assertThat(spec.env()).isEqualTo(Map.of("EXTRA_PIP_PACKAGES", "s3fs"));
        // worker-template-path (with ${TEMPLATES} expanded) wins over worker-template, as in
        // classic
        assertThat(spec.workerTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("daskdev/dask:latest");
        assertThat(spec.workerTemplate().getSpec().getContainers().get(0).getArgs())
                .contains("--no-dashboard")
                .doesNotContain("--no-bokeh");
        assertThat(spec.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("--no-bokeh"));
        assertThat(spec.dashboardLinkTemplate())
                .isEqualTo("/user/{JUPYTERHUB_USER}/proxy/{port}/status");
        assertThat(spec.deployMode()).isEqualTo(DeployMode.REMOTE);
        assertThat(spec.affinityMode()).isEqualTo(AffinityMode.PREFERRED);
        assertThat(spec.namespace()).isEmpty();
        assertThat(spec.schedulerTemplate()).isEmpty();
    }

    @Test
    void defaultNameUsesEscapedUserAndUuid() {
        ClusterSettings spec =
                ClusterSettingsResolver.of(DaskConfig.defaultsOnly())
                        .workerTemplate(MakePodSpec.builder().image("img").build())
                        .environment(Map.of("USER", "John_Doe"))
                        .uuid(() -> "9f8e7d6c-b")
                        .resolve();
        assertThat(spec.name()).isEqualTo("dask-johndoe-9f8e7d6c-b");
        assertThat(spec.user()).isEqualTo("johndoe");
        assertThat(spec.idleTimeout()).isEmpty();
        assertThat(spec.schedulerServiceWaitTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.podDisruptionBudget()).isTrue();
    }

    @Test
    void builderOverridesConfiguration() {
        DaskConfig config =
                DaskConfig.defaultsOnly()
                        .with("kubernetes.namespace", "from-config")
                        .with("kubernetes.count.start", 1)
                        .with("kubernetes.deploy-mode", "local")
                        .with("kubernetes.idle-timeout", "5 minutes")
                        .with("kubernetes.scheduler-service-wait-timeout", 0)
                        .with("kubernetes.apply-default-affinity", "required")
                        .with("kubernetes.env", Map.of("FROM", "config"));

        ClusterSettings fromConfig =
                ClusterSettingsResolver.of(config)
                        .workerTemplate(MakePodSpec.builder().image("i").build())
                        .user("u")
                        .environment(Map.of())
                        .uuid(() -> "abc")
                        .resolve();
        assertThat(fromConfig.namespace()).contains("from-config");
        assertThat(fromConfig.countStart()).isEqualTo(1);
        assertThat(fromConfig.deployMode()).isEqualTo(DeployMode.LOCAL);
        assertThat(fromConfig.idleTimeout()).contains(Duration.ofMinutes(5));
        assertThat(fromConfig.schedulerServiceWaitTimeout()).isEqualTo(Duration.ZERO);
        assertThat(fromConfig.affinityMode()).isEqualTo(AffinityMode.REQUIRED);
        assertThat(fromConfig.env()).isEqualTo(Map.of("FROM", "config"));

        ClusterSettings overridden =
                ClusterSettingsResolver.of(config)
                        .workerTemplate(MakePodSpec.builder().image("i").build())
                        .user("u")
                        .environment(Map.of())
                        .name("my-cluster")
                        .namespace("ns")
                        .workers(3)
                        .deployMode(DeployMode.REMOTE)
                        .idleTimeout(Duration.ofSeconds(10))
                        .affinityMode(AffinityMode.NONE)
                        .serviceType("NodePort")
                        .env(Map.of("FROM", "builder"))
                        .podDisruptionBudget(false)
                        .resolve();
        assertThat(overridden.name()).isEqualTo("my-cluster");
        assertThat(overridden.namespace()).contains("ns");
        assertThat(overridden.countStart()).isEqualTo(3);
        assertThat(overridden.deployMode()).isEqualTo(DeployMode.REMOTE);
        assertThat(overridden.idleTimeout()).contains(Duration.ofSeconds(10));
        assertThat(overridden.affinityMode()).isEqualTo(AffinityMode.NONE);
        assertThat(overridden.schedulerServiceType()).isEqualTo("NodePort");
        assertThat(overridden.env()).isEqualTo(Map.of("FROM", "builder"));
        assertThat(overridden.podDisruptionBudget()).isFalse();
    }

    @Test
    void workerTemplateFromConfigMapIsExpandedAndLinted() {
        DaskConfig config =
                DaskConfig.defaultsOnly()
                        .with(
                                "kubernetes.worker-template",
                                Map.of(
                                        "spec",
                                        Map.of(
                                                "containers",
                                                List.of(
                                                        Map.of(
                                                                "name",
                                                                "w",
                                                                "image",
                                                                "$REGISTRY/dask",
                                                                "args",
                                                                List.of("dask-worker"))))));
        ClusterSettings spec =
                ClusterSettingsResolver.of(config)
                        .user("u")
                        .environment(Map.of("REGISTRY", "reg.example"))
                        .resolve();
        assertThat(spec.workerTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("reg.example/dask");
        assertThat(spec.workerTemplate().getSpec().getContainers().get(0).getArgs())
                .containsExactly("dask-worker", "--death-timeout", "60");
    }

    @Test
    void dashboardLinkIsFormattedWithEnvironment() {
        assertThat(
                        DashboardLink.format(
                                "{scheme}://{host}:{port}/status",
                                "http",
                                "10.0.0.5",
                                8787,
                                Map.of()))
                .isEqualTo("http://10.0.0.5:8787/status");
        assertThat(
                        DashboardLink.format(
                                "{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status",
                                "http",
                                "h",
                                8787,
                                Map.of("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")))
                .isEqualTo("/user/ada/proxy/8787/status");
        assertThat(DashboardLink.format("{{literal}}/{port}", "http", "h", 1, Map.of()))
                .isEqualTo("{literal}/1");
    }

    @Test
    void modesParseClassicWords() {
        assertThat(AffinityMode.parse("prefer")).isEqualTo(AffinityMode.PREFERRED);
        assertThat(AffinityMode.parse("Required")).isEqualTo(AffinityMode.REQUIRED);
        assertThat(AffinityMode.parse("none")).isEqualTo(AffinityMode.NONE);
        assertThat(DeployMode.parse("local")).isEqualTo(DeployMode.LOCAL);
        assertThat(DeployMode.parse(null)).isEqualTo(DeployMode.REMOTE);
    }

    /** A kubernetes.yaml as a user of the Python package writes one, with custom templates. */
    private DaskConfig pythonConfig(String yaml) throws IOException {
        Path configDir = Files.createDirectories(dir.resolve("python-config"));
        Files.writeString(configDir.resolve("kubernetes.yaml"), yaml);
        return DaskConfig.load(ConfigSources.of(List.of(configDir), Map.of()));
    }

    private ClusterSettingsResolver resolver(DaskConfig config) {
        return ClusterSettingsResolver.of(config)
                .workerTemplate(MakePodSpec.builder().image("dask").build())
                .name("svc")
                .user("jovyan")
                .environment(Map.of());
    }

    @Test
    void theSchedulerServiceIsMadeFromTheConfiguredTemplate() throws IOException {
        DaskConfig config =
                pythonConfig(
                        """
                kubernetes:
                  scheduler-service-template:
                    metadata:
                      annotations:
                        networking.example.com/internal: "true"
                    spec:
                      type: NodePort
                  scheduler-pdb-template:
                    spec:
                      minAvailable: 2
                """);

        ClusterModel model = ClusterModel.of(resolver(config).resolve(), "default", new Random(0));
        Service service = model.schedulerService();

        assertThat(service.getSpec().getType()).isEqualTo("NodePort");
        assertThat(service.getMetadata().getAnnotations())
                .containsEntry("networking.example.com/internal", "true");
        assertThat(service.getMetadata().getName()).isEqualTo("svc");
        assertThat(service.getSpec().getSelector())
                .as("the template's empty cluster-name is filled in, as classic did")
                .containsEntry("dask.org/cluster-name", "svc")
                .containsEntry("dask.org/component", "scheduler");
        assertThat(service.getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(tuple("tcp-comm", 8786), tuple("http-dashboard", 8787));
        PodDisruptionBudget pdb = model.podDisruptionBudget().orElseThrow();
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .containsEntry("dask.org/cluster-name", "svc");
    }

    /**
     * The scheduler's Service leads to it as soon as it listens (not at the next readiness probe),
     * unless the user's template says otherwise.
     */
    @Test
    void theServicePublishesTheSchedulerBeforeItIsReadyUnlessTheTemplateSaysNot()
            throws IOException {
        DaskConfig says =
                pythonConfig(
                        """
                kubernetes:
                  scheduler-service-template:
                    spec:
                      publishNotReadyAddresses: false
                """);
        DaskConfig silent = pythonConfig("kubernetes: {}\n");

        assertThat(
                        ClusterModel.of(resolver(silent).resolve(), "default", new Random(0))
                                .schedulerService()
                                .getSpec()
                                .getPublishNotReadyAddresses())
                .isTrue();
        assertThat(
                        ClusterModel.of(resolver(says).resolve(), "default", new Random(0))
                                .schedulerService()
                                .getSpec()
                                .getPublishNotReadyAddresses())
                .isFalse();
    }

    @Test
    void anExplicitServiceTypeWinsOverTheTemplatesAndTheTemplatesOverTheConfigKey()
            throws IOException {
        DaskConfig config =
                pythonConfig(
                        """
                kubernetes:
                  scheduler-service-type: LoadBalancer
                  scheduler-service-template:
                    spec:
                      type: NodePort
                """);

        assertThat(resolver(config).resolve().schedulerServiceType()).isEqualTo("NodePort");
        assertThat(resolver(config).serviceType("ClusterIP").resolve().schedulerServiceType())
                .isEqualTo("ClusterIP");
    }

    @Test
    void eachKeyThatIsNotActedOnGetsOneWarningNamingItAndWhereItWasSet() throws IOException {
        DaskConfig config =
                pythonConfig(
                        """
                kubernetes:
                  host: 10.0.0.1
                  image: ghcr.io/dask/dask:latest
                  wrokers: 3
                  count:
                    start: 1
                  scheduler-service-template:
                    spec:
                      type: NodePort
                """);

        List<String> warnings = UnusedConfigKeys.find(config);

        assertThat(warnings).hasSize(3);
        assertThat(warnings)
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .startsWith("kubernetes.host ")
                                        .contains("kubernetes.yaml"))
                .anySatisfy(w -> assertThat(w).startsWith("kubernetes.image ").contains("operator"))
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .startsWith("kubernetes.wrokers ")
                                        .contains("no such key"));
        assertThat(UnusedConfigKeys.find(DaskConfig.defaultsOnly()))
                .as("the defaults alone warn of nothing")
                .isEmpty();
    }
}
