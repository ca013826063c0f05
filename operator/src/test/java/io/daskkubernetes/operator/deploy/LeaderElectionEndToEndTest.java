package io.daskkubernetes.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.local.api.ApiRequest;
import io.daskkubernetes.operator.CustomResourceDefinitions;
import io.daskkubernetes.operator.LeaderElection;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator processes against one local runtime: only the Lease holder reconciles; when it is
 * killed (SIGKILL) in the middle of scaling a cluster from 2 to 6 workers, the other takes the
 * Lease within the lease duration and finishes the scale with no duplicate pod. The pods run a
 * cheap command (no Dask): what is shown is who acts, not Dask.
 */
class LeaderElectionEndToEndTest {

    private static final int LEASE_SECONDS = 10;
    private static final int RENEW_SECONDS = 8;
    private static final int RETRY_SECONDS = 1;
    private static final String NAMESPACE = DeployManifests.NAMESPACE;
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

    private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Process> candidates = new ArrayList<>();
    private LocalKubernetes local;
    private Path logs;

    @AfterEach
    void stop() throws IOException {
        for (Process candidate : candidates) {
            candidate.destroyForcibly();
        }
        for (Process candidate : candidates) {
            try {
                candidate.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (local != null) {
            local.close();
        }
        // what each candidate logged, for whoever reads a failure
        for (String identity : List.of("a", "b")) {
            Path log = logs == null ? null : logs.resolve("candidate-" + identity + ".log");
            if (log != null && Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                System.out.println(
                        "--- candidate "
                                + identity
                                + " (last 40 lines) ---\n"
                                + String.join(
                                        "\n",
                                        lines.subList(
                                                Math.max(0, lines.size() - 40), lines.size())));
            }
        }
    }

    @Test
    @Timeout(360)
    void onlyTheLeaderActsAndAKilledLeaderIsReplacedWithinTheLeaseDuration(@TempDir Path dir)
            throws Exception {
        logs = dir;
        AtomicLong scaleRequestedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger leaderPodCreatesAfterScale = new AtomicInteger();
        AtomicLong killedAt = new AtomicLong();
        AtomicInteger killIndex = new AtomicInteger();
        Process[] leader = new Process[1];
        local =
                LocalKubernetes.builder()
                        .observeRequests(
                                request -> {
                                    requests.add(request);
                                    // SIGKILL the leader as its second new worker pod goes out:
                                    // mid-scale, for certain.
                                    if ("candidate-a".equals(request.userAgent())
                                            && isPodCreate(request)
                                            && System.nanoTime() > scaleRequestedAt.get()
                                            && leaderPodCreatesAfterScale.incrementAndGet() == 2) {
                                        killedAt.set(System.nanoTime());
                                        killIndex.set(requests.size());
                                        leader[0].destroyForcibly();
                                    }
                                })
                        .start();
        local.client()
                .namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(NAMESPACE)
                                .endMetadata()
                                .build())
                .create();
        CustomResourceDefinitions.install(local.client());

        leader[0] = startCandidate("a");
        // a fresh JVM with JOSDK: slow on a loaded machine
        await().atMost(Duration.ofSeconds(120)).until(() -> "a".equals(holder()));
        Process standby = startCandidate("b");
        await().atMost(Duration.ofSeconds(120))
                .until(() -> requests.stream().anyMatch(r -> isLease(r, "candidate-b")));

        local.client().resource(CheapCluster.of("cheap", 2)).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> workerPods().size() == 2);
        awaitGroupReplicas(2);

        scaleRequestedAt.set(System.nanoTime());
        // a merge patch without resourceVersion, as kubectl scale: no conflict with the
        // operator's status writes
        local.client()
                .resources(DaskWorkerGroup.class)
                .inNamespace("default")
                .withName("cheap-default")
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"worker\":{\"replicas\":6}}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> killedAt.get() != 0);
        assertThat(leader[0].waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(LEASE_SECONDS + 3 * RETRY_SECONDS + 15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "b".equals(holder()));
        double handoverSeconds = (System.nanoTime() - killedAt.get()) / 1e9;
        System.out.printf("handover after SIGKILL of the leader: %.1f s%n", handoverSeconds);
        // A candidate may take the Lease once it has seen no renewal for the lease duration; it
        // looks every retry period (with jitter): the await above bounds the handover by the lease
        // and three retries plus slack for a loaded machine; the figure itself is printed, not
        // asserted (it measures the machine's load as much as the code).

        awaitGroupReplicas(6);
        assertThat(workerPods()).hasSize(6);
        assertThat(standby.isAlive()).isTrue();

        // requests are recorded in arrival order: b wrote nothing but the Lease while a led
        List<ApiRequest> beforeKill = List.copyOf(requests.subList(0, killIndex.get()));
        List<ApiRequest> afterKill =
                List.copyOf(requests.subList(killIndex.get(), requests.size()));
        assertThat(beforeKill)
                .filteredOn(r -> "candidate-b".equals(r.userAgent()))
                .filteredOn(r -> WRITES.contains(r.verb()) && !"leases".equals(r.resource()))
                // JOSDK's check of its Lease rights: a question, not a change
                .filteredOn(r -> !"selfsubjectrulesreviews".equals(r.resource()))
                .isEmpty();
        assertThat(beforeKill)
                .filteredOn(r -> "candidate-a".equals(r.userAgent()))
                .anyMatch(LeaderElectionEndToEndTest::isPodCreate);
        assertThat(afterKill)
                .filteredOn(r -> "candidate-b".equals(r.userAgent()))
                .anyMatch(LeaderElectionEndToEndTest::isPodCreate);
        long podCreatesAfterScale =
                requests.stream()
                        .filter(LeaderElectionEndToEndTest::isPodCreate)
                        .filter(
                                r ->
                                        r.userAgent() != null
                                                && r.userAgent().startsWith("candidate-"))
                        .count();
        // 1 scheduler + 2 workers before the scale, then exactly the 4 missing: no duplicates
        assertThat(podCreatesAfterScale).isEqualTo(1 + 2 + 4);
        assertThat(requests)
                .noneMatch(
                        r ->
                                r.userAgent() != null
                                        && r.userAgent().startsWith("candidate-")
                                        && "pods".equals(r.resource())
                                        && r.verb().equals("delete"));
    }

    private Process startCandidate(String identity) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                OperatorCandidateMain.class.getName(),
                                local.kubeconfig().toString(),
                                identity,
                                NAMESPACE,
                                String.valueOf(LEASE_SECONDS),
                                String.valueOf(RENEW_SECONDS),
                                String.valueOf(RETRY_SECONDS))
                        .redirectErrorStream(true)
                        .redirectOutput(logs.resolve("candidate-" + identity + ".log").toFile())
                        .start();
        candidates.add(process);
        return process;
    }

    private String holder() {
        Lease lease =
                local.client()
                        .leases()
                        .inNamespace(NAMESPACE)
                        .withName(LeaderElection.DEFAULT_LEASE_NAME)
                        .get();
        return lease == null || lease.getSpec() == null
                ? null
                : lease.getSpec().getHolderIdentity();
    }

    private List<Pod> workerPods() {
        return local
                .client()
                .pods()
                .inNamespace("default")
                .withLabel("dask.org/workergroup-name", "cheap-default")
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    private void awaitGroupReplicas(int count) {
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            DaskWorkerGroup group =
                                    local.client()
                                            .resources(DaskWorkerGroup.class)
                                            .inNamespace("default")
                                            .withName("cheap-default")
                                            .get();
                            return group != null
                                    && group.getStatus() != null
                                    && Integer.valueOf(count)
                                            .equals(group.getStatus().getReplicas());
                        });
    }

    private static boolean isPodCreate(ApiRequest request) {
        return "pods".equals(request.resource()) && request.verb().equals("create");
    }

    private static boolean isLease(ApiRequest request, String userAgent) {
        return userAgent.equals(request.userAgent()) && "leases".equals(request.resource());
    }
}
