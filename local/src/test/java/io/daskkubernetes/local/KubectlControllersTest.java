package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deployments, ReplicaSets and Jobs run their pods, driven with kubectl. */
class KubectlControllersTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;
    private static KubectlSupport kubectl;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.start();
        client = kubernetes.client();
        kubectl = new KubectlSupport(kubernetes);
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    private static void apply(String... lines) throws Exception {
        Path manifest = Files.createTempFile("manifest", ".yaml");
        try {
            Files.writeString(manifest, String.join("\n", lines) + "\n");
            kubectl.ok("apply", "--validate=false", "-f", manifest.toString());
        } finally {
            Files.delete(manifest);
        }
    }

    private static List<Pod> runningPods(String label) {
        return client.pods().withLabel("app", label).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                .toList();
    }

    private static List<Pod> pods(String label) {
        return client.pods().withLabel("app", label).list().getItems();
    }

    @Test
    void aDeploymentRunsRollsOutAndScales() throws Exception {
        apply(
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata:",
                "  name: web",
                "spec:",
                "  replicas: 3",
                "  selector:",
                "    matchLabels: {app: web}",
                "  template:",
                "    metadata:",
                "      labels: {app: web}",
                "    spec:",
                "      terminationGracePeriodSeconds: 1",
                "      containers:",
                "      - name: main",
                "        image: web:v1",
                "        command: [sleep, '3600']");

        assertThat(kubectl.ok("rollout", "status", "deployment/web", "--timeout=60s"))
                .contains("successfully rolled out");
        assertThat(runningPods("web")).hasSize(3);
        assertThat(kubectl.ok("get", "deployment", "web"))
                .containsPattern("web\\s+3/3\\s+3\\s+3\\s");
        List<ReplicaSet> first =
                client.apps().replicaSets().withLabel("app", "web").list().getItems();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).getMetadata().getName()).startsWith("web-");
        assertThat(runningPods("web"))
                .allSatisfy(
                        p ->
                                assertThat(p.getMetadata().getName())
                                        .startsWith(first.get(0).getMetadata().getName() + "-"));

        // A new image rolls the pods.
        assertThat(kubectl.ok("set", "image", "deployment/web", "main=web:v2"))
                .contains("image updated");
        assertThat(kubectl.ok("rollout", "status", "deployment/web", "--timeout=90s"))
                .contains("successfully rolled out");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(pods("web"))
                                        .hasSize(3)
                                        .allSatisfy(
                                                p ->
                                                        assertThat(
                                                                        p.getSpec()
                                                                                .getContainers()
                                                                                .get(0)
                                                                                .getImage())
                                                                .isEqualTo("web:v2"))
                                        .allSatisfy(
                                                p ->
                                                        assertThat(
                                                                        p.getSpec()
                                                                                .getContainers()
                                                                                .get(0)
                                                                                .getCommand())
                                                                .containsExactly("sleep", "3600")));
        assertThat(client.apps().replicaSets().withLabel("app", "web").list().getItems())
                .hasSize(2)
                .anySatisfy(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
        assertThat(kubectl.ok("rollout", "history", "deployment/web")).contains("1", "2");
        assertThat(kubectl.ok("events"))
                .contains("Scaled up replica set web-", "Created pod: web-");

        assertThat(kubectl.ok("scale", "deployment/web", "--replicas=1")).contains("scaled");
        await().atMost(Duration.ofSeconds(30)).until(() -> pods("web").size() == 1);
        assertThat(kubectl.ok("rollout", "status", "deployment/web", "--timeout=30s"))
                .contains("successfully rolled out");
        assertThat(kubectl.ok("get", "deployment", "web", "-o", "jsonpath={.status.replicas}"))
                .isEqualTo("1");

        kubectl.ok("delete", "deployment", "web");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                pods("web").isEmpty()
                                        && client.apps()
                                                .replicaSets()
                                                .withLabel("app", "web")
                                                .list()
                                                .getItems()
                                                .isEmpty());
    }

    @Test
    void aReplicaSetScalesThroughItsScaleSubresource() throws Exception {
        apply(
                "apiVersion: apps/v1",
                "kind: ReplicaSet",
                "metadata:",
                "  name: plain",
                "spec:",
                "  replicas: 2",
                "  selector:",
                "    matchLabels: {app: plain}",
                "  template:",
                "    metadata:",
                "      labels: {app: plain}",
                "    spec:",
                "      terminationGracePeriodSeconds: 1",
                "      containers:",
                "      - name: main",
                "        command: [sleep, '3600']");
        await().atMost(Duration.ofSeconds(30)).until(() -> runningPods("plain").size() == 2);
        kubectl.ok("scale", "rs/plain", "--replicas=3");
        await().atMost(Duration.ofSeconds(30)).until(() -> runningPods("plain").size() == 3);
        assertThat(
                        kubectl.ok(
                                "get",
                                "--raw",
                                "/apis/apps/v1/namespaces/default/replicasets/plain/scale"))
                .contains("\"kind\":\"Scale\"", "\"replicas\":3", "app=plain");
        kubectl.ok("delete", "rs", "plain");
        await().atMost(Duration.ofSeconds(30)).until(() -> pods("plain").isEmpty());
    }

    @Test
    void aJobRunsItsCompletionsWithItsParallelism() throws Exception {
        apply(
                "apiVersion: batch/v1",
                "kind: Job",
                "metadata:",
                "  name: batch",
                "spec:",
                "  completions: 3",
                "  parallelism: 2",
                "  template:",
                "    metadata:",
                "      labels: {app: batch}",
                "    spec:",
                "      restartPolicy: Never",
                "      containers:",
                "      - name: main",
                "        command: [sh, -c, 'sleep 1; echo done']");
        AtomicInteger mostAtOnce = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            mostAtOnce.accumulateAndGet(runningPods("batch").size(), Math::max);
                            Job job = client.batch().v1().jobs().withName("batch").get();
                            return job.getStatus() != null
                                    && job.getStatus().getConditions() != null
                                    && job.getStatus().getConditions().stream()
                                            .anyMatch(c -> c.getType().equals("Complete"));
                        });
        Job job = client.batch().v1().jobs().withName("batch").get();
        assertThat(job.getStatus().getSucceeded()).isEqualTo(3);
        assertThat(job.getStatus().getCompletionTime()).isNotNull();
        assertThat(mostAtOnce.get()).isEqualTo(2);
        assertThat(pods("batch"))
                .hasSize(3)
                .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded"));
        assertThat(kubectl.ok("get", "job", "batch")).containsPattern("batch\\s+Complete\\s+3/3");
        assertThat(kubectl.ok("logs", pods("batch").get(0).getMetadata().getName()))
                .isEqualTo("done\n");

        kubectl.ok("delete", "job", "batch");
        await().atMost(Duration.ofSeconds(30)).until(() -> pods("batch").isEmpty());
    }

    @Test
    void aFailingJobStopsAtItsBackoffLimit() throws Exception {
        apply(
                "apiVersion: batch/v1",
                "kind: Job",
                "metadata:",
                "  name: failing",
                "spec:",
                "  backoffLimit: 2",
                "  template:",
                "    metadata:",
                "      labels: {app: failing}",
                "    spec:",
                "      restartPolicy: Never",
                "      containers:",
                "      - name: main",
                "        command: [sh, -c, 'exit 1']");
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            Job job = client.batch().v1().jobs().withName("failing").get();
                            return job.getStatus() != null
                                    && job.getStatus().getConditions() != null
                                    && job.getStatus().getConditions().stream()
                                            .anyMatch(
                                                    c ->
                                                            c.getType().equals("Failed")
                                                                    && c.getReason()
                                                                            .equals(
                                                                                    "BackoffLimitExceeded"));
                        });
        // The controller must not start more pods: the count holds for 2 s.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> pods("failing").size() == 3);
        assertThat(pods("failing"))
                .hasSize(3)
                .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Failed"));
        assertThat(client.batch().v1().jobs().withName("failing").get().getStatus().getFailed())
                .isEqualTo(3);
        assertThat(kubectl.ok("events")).contains("Job has reached the specified backoff limit");
        kubectl.ok("delete", "job", "failing");
    }
}
