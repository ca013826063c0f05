package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What TLS changes in a cluster's objects, with plain objects and no Kubernetes. */
class ClusterTlsTest {

    private static final String WORKER_SPEC =
            """
            kind: Pod
            spec:
              containers:
              - name: dask
                image: daskdev/dask:latest
                args: [dask-worker, --nthreads, '1', --no-dashboard, --death-timeout, '60']
              - name: sidecar
                image: busybox
                command: [sleep, infinity]
            """;

    private static final TlsCredentials CREDENTIALS =
            new TlsCredentials(
                    "CA PEM\n",
                    "SCHEDULER CERT\n",
                    "SCHEDULER KEY\n",
                    "WORKER CERT\n",
                    "WORKER KEY\n",
                    "CLIENT CERT\n",
                    "CLIENT KEY\n");

    private static ClusterModel model(boolean tls) {
        Pod template = PodTemplates.fromYamlString(WORKER_SPEC, "test spec");
        ClusterModel model =
                ClusterModel.of(
                        ClusterSettings.of("dask-tls-test", template),
                        "analytics",
                        new SplittableRandom(7));
        return tls ? model.withTls() : model;
    }

    private static ClusterModel owned(ClusterModel model) {
        ConfigMap created =
                new ConfigMapBuilder(model.owner())
                        .editMetadata()
                        .withUid("owner-uid")
                        .endMetadata()
                        .build();
        created.setApiVersion("v1");
        created.setKind("ConfigMap");
        return model.ownedBy(created);
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static List<String> words(Container container) {
        List<String> words = new ArrayList<>();
        if (container.getCommand() != null) {
            words.addAll(container.getCommand());
        }
        if (container.getArgs() != null) {
            words.addAll(container.getArgs());
        }
        return words;
    }

    @Test
    void theSchedulerAddressBecomesTls() {
        assertThat(model(false).schedulerAddressInCluster())
                .isEqualTo("tcp://dask-tls-test.analytics:8786");
        assertThat(model(true).schedulerAddressInCluster())
                .isEqualTo("tls://dask-tls-test.analytics:8786");
        assertThat(model(true).tls()).isTrue();
        assertThat(model(false).tls()).isFalse();
    }

    @Test
    void theSecretHoldsEveryFileAndGoesWithTheOwner() {
        ClusterModel model = owned(model(true));

        Secret secret = model.tlsSecret(CREDENTIALS);

        assertThat(secret.getMetadata().getName()).isEqualTo("dask-tls-test-tls");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("analytics");
        assertThat(secret.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("owner-uid"));
        assertThat(secret.getMetadata().getLabels())
                .containsEntry(DaskLabels.CLUSTER_NAME, "dask-tls-test");
        Map<String, String> decoded =
                secret.getData().entrySet().stream()
                        .collect(
                                Collectors.toMap(
                                        Map.Entry::getKey,
                                        e ->
                                                new String(
                                                        Base64.getDecoder().decode(e.getValue()),
                                                        StandardCharsets.UTF_8)));
        assertThat(decoded).isEqualTo(CREDENTIALS.files());
        assertThat(TlsCredentials.fromFiles(decoded, "Secret x")).isEqualTo(CREDENTIALS);
    }

    @Test
    void theSchedulerIsStartedWithTheSchedulerCertificateAndWithoutTheHttpApi() {
        Pod pod = model(true).schedulerPod();
        Container scheduler = pod.getSpec().getContainers().get(0);

        assertThat(words(scheduler))
                .containsSubsequence(
                        "dask-scheduler",
                        "--tls-ca-file",
                        "/etc/dask-tls/ca.crt",
                        "--tls-cert",
                        "/etc/dask-tls/scheduler.crt",
                        "--tls-key",
                        "/etc/dask-tls/scheduler.key");
        assertThat(pod.getSpec().getVolumes())
                .singleElement()
                .satisfies(
                        volume -> {
                            assertThat(volume.getName()).isEqualTo("dask-tls");
                            assertThat(volume.getSecret().getSecretName())
                                    .isEqualTo("dask-tls-test-tls");
                            assertThat(volume.getSecret().getItems())
                                    .extracting("path")
                                    .containsExactly("ca.crt", "scheduler.crt", "scheduler.key");
                        });
        assertThat(scheduler.getVolumeMounts())
                .singleElement()
                .satisfies(
                        mount -> {
                            assertThat(mount.getMountPath()).isEqualTo("/etc/dask-tls");
                            assertThat(mount.getReadOnly()).isTrue();
                        });
        assertThat(env(scheduler))
                .containsEntry(
                        "DASK_DISTRIBUTED__COMM__TLS__SCHEDULER__CERT",
                        "/etc/dask-tls/scheduler.crt")
                .containsEntry("DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION", "True")
                .doesNotContainKey(ClusterModel.HTTP_ROUTES_ENV);
        assertThat(env(model(false).schedulerPod().getSpec().getContainers().get(0)))
                .containsKey(ClusterModel.HTTP_ROUTES_ENV);
    }

    @Test
    void everyWorkerContainerMountsTheSecretAndDaskWorkerGetsTheWorkerCertificate() {
        ClusterModel model = model(true);
        Pod pod = model.workerPod(model.newWorkerName());
        Container worker = pod.getSpec().getContainers().get(0);

        assertThat(words(worker))
                .containsSubsequence(
                        "dask-worker",
                        "--tls-ca-file",
                        "/etc/dask-tls/ca.crt",
                        "--tls-cert",
                        "/etc/dask-tls/worker.crt",
                        "--tls-key",
                        "/etc/dask-tls/worker.key");
        assertThat(words(worker)).doesNotContain("/etc/dask-tls/scheduler.key");
        for (Container container : pod.getSpec().getContainers()) {
            assertThat(container.getVolumeMounts())
                    .extracting("mountPath")
                    .containsExactly("/etc/dask-tls");
            assertThat(env(container))
                    .containsEntry(
                            ClusterModel.SCHEDULER_ADDRESS_ENV,
                            "tls://dask-tls-test.analytics:8786")
                    .containsEntry("DASK_DISTRIBUTED__COMM__TLS__CA_FILE", "/etc/dask-tls/ca.crt")
                    .containsEntry(
                            "DASK_DISTRIBUTED__COMM__TLS__WORKER__KEY", "/etc/dask-tls/worker.key");
        }
        assertThat(words(pod.getSpec().getContainers().get(1)))
                .containsExactly("sleep", "infinity");
        assertThat(pod.getSpec().getVolumes().get(0).getSecret().getItems())
                .as("a worker pod holds neither the scheduler's key nor the client's")
                .extracting("key")
                .containsExactly("ca.crt", "worker.crt", "worker.key");
    }

    @Test
    void withoutTlsNothingChanges() {
        ClusterModel model = model(false);
        Pod pod = model.workerPod(model.newWorkerName());

        assertThat(pod.getSpec().getVolumes()).isNullOrEmpty();
        assertThat(words(pod.getSpec().getContainers().get(0))).doesNotContain("--tls-cert");
        assertThatThrownBy(() -> model.tlsSecret(CREDENTIALS))
                .hasMessageContaining("does not use TLS");
    }

    @Test
    void aLaterProcessRebuildsTheTlsClusterFromItsOwner() {
        ClusterModel original = owned(model(true));
        ConfigMap owner =
                new ConfigMapBuilder(original.owner())
                        .editMetadata()
                        .withUid("owner-uid")
                        .endMetadata()
                        .build();

        ClusterModel rebuilt = ClusterModel.fromOwner(owner, new SplittableRandom(1));

        assertThat(rebuilt.tls()).isTrue();
        assertThat(rebuilt.schedulerAddressInCluster())
                .isEqualTo("tls://dask-tls-test.analytics:8786");
        assertThat(
                        words(
                                rebuilt.workerPod(rebuilt.newWorkerName())
                                        .getSpec()
                                        .getContainers()
                                        .get(0)))
                .contains("--tls-cert", "/etc/dask-tls/worker.crt");
        ConfigMap plainOwner =
                new ConfigMapBuilder(owned(model(false)).owner())
                        .editMetadata()
                        .withUid("u")
                        .endMetadata()
                        .build();
        assertThat(ClusterModel.fromOwner(plainOwner, new SplittableRandom(1)).tls()).isFalse();
    }

    @Test
    void tlsNeedsTheSchedulerInAPod() {
        Pod template = PodTemplates.fromYamlString(WORKER_SPEC, "test spec");
        ClusterSettings local =
                new ClusterSettings(
                        "dask-tls-test",
                        "dask",
                        Optional.empty(),
                        template,
                        Optional.empty(),
                        null,
                        null,
                        0,
                        OptionalInt.empty(),
                        Map.of(),
                        DeployMode.LOCAL,
                        "ClusterIP",
                        Optional.empty(),
                        java.time.Duration.ofSeconds(30),
                        AffinityMode.PREFERRED,
                        DashboardLink.DEFAULT_TEMPLATE,
                        false,
                        List.of());
        ClusterModel model =
                ClusterModel.withExternalScheduler(
                        local, "default", "tcp://10.0.0.5:8786", new SplittableRandom(1));

        assertThatThrownBy(model::withTls)
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("kubernetes.tls")
                .hasMessageContaining("deploy-mode remote");
    }

    @Test
    void credentialsNeverPrintTheirKeys() {
        assertThat(CREDENTIALS.toString()).doesNotContain("KEY");
        assertThatThrownBy(() -> TlsCredentials.fromFiles(Map.of(), "Secret dask-x-tls"))
                .hasMessageContaining("Secret dask-x-tls")
                .hasMessageContaining("ca.crt");
    }
}
