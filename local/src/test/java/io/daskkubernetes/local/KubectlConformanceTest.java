package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.32, unmodified and with its default flags, against the local runtime: each test is a
 * command a user types, asserting what a real cluster answers.
 */
class KubectlConformanceTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;
    @TempDir static Path work;

    record Result(int exitCode, String output) {}

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.builder().podNetwork(PodNetworkMode.HOST).start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stop() {
        if (kubernetes != null) {
            RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
        }
    }

    private static Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/kubectl");
        command.add("--kubeconfig=" + kubernetes.kubeconfig());
        command.add("--cache-dir=" + work.resolve("kube-cache"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private static Result ok(String... args) throws IOException, InterruptedException {
        Result result = kubectl(args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.output()).isZero();
        return result;
    }

    private static Path file(String name, String yaml) throws IOException {
        return Files.writeString(work.resolve(name), yaml);
    }

    private static String configMapYaml(String name, String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
                + name
                + "\n  labels: {app: "
                + name
                + "}\ndata:\n  key: \""
                + value
                + "\"\n";
    }

    @Test
    void applyAndCreateFromFilesWithDefaultValidation() throws Exception {
        Path first = file("applied.yaml", configMapYaml("applied", "1"));
        assertThat(ok("apply", "-f", first.toString()).output())
                .contains("configmap/applied created");
        Path second = file("applied2.yaml", configMapYaml("applied", "2"));
        assertThat(ok("apply", "-f", second.toString()).output())
                .contains("configmap/applied configured");
        assertThat(client.configMaps().withName("applied").get().getData())
                .containsEntry("key", "2");

        Path created = file("created.yaml", configMapYaml("created", "1"));
        assertThat(ok("create", "-f", created.toString()).output())
                .contains("configmap/created created");
        Result again = kubectl("create", "-f", created.toString());
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.output()).contains("AlreadyExists").contains("\"created\" already exists");

        Path unknownField =
                file(
                        "typo.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndatta:\n  k: v\n");
        Result typo = kubectl("create", "-f", unknownField.toString());
        assertThat(typo.exitCode()).as(typo.output()).isNotZero();
        assertThat(typo.output()).contains("datta");
        assertThat(client.configMaps().withName("typo").get()).isNull();
    }

    @Test
    void imperativeCreatesOfConfigMapsSecretsNamespacesAndDeployments() throws Exception {
        ok("create", "configmap", "imperative", "--from-literal=a=b");
        ok("create", "secret", "generic", "imperative", "--from-literal=password=hunter2");
        ok("create", "namespace", "imperative");
        ok(
                "create",
                "deployment",
                "imperative",
                "--image=ignored",
                "--port=8786",
                "--replicas=2",
                "--",
                "sleep",
                "30");

        assertThat(client.configMaps().withName("imperative").get().getData())
                .containsEntry("a", "b");
        assertThat(client.secrets().withName("imperative").get().getData())
                .containsEntry("password", "aHVudGVyMg==");
        assertThat(client.namespaces().withName("imperative").get()).isNotNull();
        var deployment = client.apps().deployments().withName("imperative").get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .containsEntry("app", "imperative");
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getCommand()).containsExactly("sleep", "30");
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8786);
        Result nowhere = kubectl("create", "configmap", "x", "-n", "nowhere", "--from-literal=a=b");
        assertThat(nowhere.exitCode()).isNotZero();
        assertThat(nowhere.output()).contains("namespaces \"nowhere\" not found");
    }

    @Test
    void serverSideDryRunsAndDiffChangeNothing() throws Exception {
        Path live = file("live.yaml", configMapYaml("live", "1"));
        Path changed = file("live2.yaml", configMapYaml("live", "2"));

        assertThat(ok("apply", "--dry-run=server", "-f", live.toString()).output())
                .contains("(server dry run)");
        assertThat(client.configMaps().withName("live").get()).isNull();

        ok("apply", "-f", live.toString());
        Result diff = kubectl("diff", "-f", changed.toString());
        assertThat(diff.exitCode()).as(diff.output()).isEqualTo(1);
        assertThat(diff.output()).contains("-  key: \"1\"").contains("+  key: \"2\"");
        assertThat(client.configMaps().withName("live").get().getData()).containsEntry("key", "1");

        ok("delete", "configmap", "live", "--dry-run=server");
        assertThat(client.configMaps().withName("live").get()).isNotNull();
    }

    @Test
    void deleteWithASetBasedSelectorMatchingNothingDeletesNothing() throws Exception {
        ok("create", "configmap", "keep-me", "--from-literal=a=b");
        ok("label", "configmap", "keep-me", "app=keep");

        Result none = ok("delete", "configmap", "-l", "app in (nothing, nobody)");
        assertThat(none.output()).contains("No resources found");
        Result malformed = kubectl("delete", "configmap", "-l", "app in (");
        assertThat(malformed.exitCode()).isNotZero();
        assertThat(client.configMaps().withName("keep-me").get()).isNotNull();

        assertThat(ok("get", "configmap", "-l", "app in (keep)", "-o", "name").output().trim())
                .isEqualTo("configmap/keep-me");
        ok("delete", "configmap", "-l", "app notin (other),app");
        assertThat(client.configMaps().withName("keep-me").get()).isNull();
    }

    @Test
    void waitSetImageLogsAndDescribeOnARunningPod() throws Exception {
        ok(
                "run",
                "sleeper",
                "--image=ignored",
                "--labels=app=sleeper",
                "--command",
                "--",
                "sh",
                "-c",
                "echo hello from sleeper; exec sleep 300");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            Pod pod = client.pods().withName("sleeper").get();
                            return pod.getStatus().getConditions().stream()
                                    .anyMatch(
                                            c ->
                                                    c.getType().equals("Ready")
                                                            && c.getStatus().equals("True"));
                        });

        // Already Ready: kubectl must get the watch's headers at once and return in time.
        long start = System.nanoTime();
        assertThat(ok("wait", "--for=condition=Ready", "pod/sleeper", "--timeout=20s").output())
                .contains("condition met");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));

        ok("set", "image", "pod/sleeper", "sleeper=other-image");
        Pod pod = client.pods().withName("sleeper").get();
        assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("other-image");
        assertThat(pod.getSpec().getContainers().get(0).getCommand())
                .containsExactly("sh", "-c", "echo hello from sleeper; exec sleep 300");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");

        assertThat(ok("logs", "-l", "app=sleeper").output()).contains("hello from sleeper");
        assertThat(ok("describe", "node", "local").output())
                .contains("Non-terminated Pods:")
                .contains("sleeper");
        ok("delete", "pod", "sleeper", "--grace-period=1");
    }

    @Test
    void aNamespaceDeletedRightAfterCreationTakesItsObjectsAlong() throws Exception {
        ok("create", "namespace", "brief");
        ok("create", "configmap", "inside", "-n", "brief", "--from-literal=a=b");
        ok("delete", "namespace", "brief", "--wait=false");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.configMaps().inNamespace("brief").list().getItems().isEmpty());
        Result refused =
                kubectl("create", "configmap", "late", "-n", "brief", "--from-literal=a=b");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("namespaces \"brief\" not found");
    }

    @Test
    void clusterInfoExplainAndAuthCanI() throws Exception {
        assertThat(ok("cluster-info").output())
                .contains("Kubernetes control plane is running at " + kubernetes.apiServerUrl());
        assertThat(ok("explain", "pod.spec.containers").output())
                .contains("KIND:       Pod")
                .contains("command\t<[]string>")
                .contains("env\t<[]EnvVar>");
        assertThat(ok("get", "--raw", "/healthz").output()).isEqualTo("ok");
        assertThat(ok("auth", "can-i", "create", "pods").output().trim()).isEqualTo("yes");
        assertThat(kubectl("get", "--raw", "/foo").output()).contains("NotFound");
    }
}
