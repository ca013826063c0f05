package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The operator ends clusters nobody needs: upstream's simplecluster.yaml with {@code idleTimeout:
 * 5} (idle as the scheduler counts it: no client, no task), and a cluster whose client's lease is
 * no longer renewed; a cluster without a lease (as kubectl makes it) is left alone. Real Dask.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterLifetimeEndToEndTest {

    private static final Duration LEASE = Duration.ofSeconds(8);

    private OperatorOnLocalRuntime runtime;
    private Kubectl kubectl;

    @BeforeAll
    void start() {
        runtime = OperatorOnLocalRuntime.start();
        kubectl = runtime.kubectl();
    }

    @AfterAll
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Timeout(60)
    void anIdleClusterIsDeletedAfterItsIdleTimeoutWithAnEvent() {
        Instant created = Instant.now();
        create(cluster("idle", 1, 5, Map.of()));

        await().atLeast(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !exists("idle"));
        System.out.printf(
                "idleTimeout 5: cluster deleted %.1f s after it was created%n",
                Duration.between(created, Instant.now()).toMillis() / 1000.0);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> runtime.events("idle"),
                        events ->
                                events.contains(
                                        "IdleTimeout: the scheduler has had no client and no task"
                                                + " for"));
        assertThat(runtime.events("idle")).contains("(spec.idleTimeout 5 s); deleting the cluster");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                kubectl.run(
                                                "get",
                                                "pods,services,daskworkergroups",
                                                "-l",
                                                "dask.org/cluster-name=idle",
                                                "-o",
                                                "name")
                                        .isEmpty());
    }

    @Test
    @Timeout(60)
    void aConnectedClientKeepsAClusterWithAnIdleTimeout() throws Exception {
        // Python imports Dask (slow on busy cores) while the cluster starts
        Process client = daskClient();
        try {
            create(cluster("busy", 0, 10, Map.of()));
            String ip =
                    await().atMost(Duration.ofSeconds(30))
                            .until(
                                    () -> {
                                        var pod =
                                                runtime.client()
                                                        .pods()
                                                        .withName("busy-scheduler")
                                                        .get();
                                        return pod == null || pod.getStatus() == null
                                                ? null
                                                : pod.getStatus().getPodIP();
                                    },
                                    address -> address != null && !address.isEmpty());
            // straight to the scheduler pod (retrying for up to 30 s), with no task: Dask's own
            // check_idle would call this scheduler idle
            connect(client, "tcp://" + ip + ":8786");
            await().during(Duration.ofSeconds(12))
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> client.isAlive() && exists("busy"));
        } finally {
            client.destroy();
            client.waitFor(10, TimeUnit.SECONDS);
        }
        Instant gone = Instant.now();
        await().atMost(Duration.ofSeconds(25))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !exists("busy"));
        System.out.printf(
                "idleTimeout 10: deleted %.1f s after its only client left%n",
                Duration.between(gone, Instant.now()).toMillis() / 1000.0);
    }

    @Test
    @Timeout(60)
    void aClusterWhoseLeaseIsNoLongerRenewedIsDeletedAndOneWithoutALeaseStays() {
        create(cluster("unleased", 0, 0, Map.of()));
        // as a client does: create the cluster with its lease, then renew it
        ClusterLease lease = new ClusterLease("test-client:1", Instant.now(), LEASE);
        create(cluster("leased", 0, 0, lease.annotations()));

        // the client renews every second: the cluster outlives its first expiry
        Instant[] lastRenewal = {Instant.now()};
        await().during(LEASE.plusSeconds(2))
                .atMost(LEASE.plusSeconds(15))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            lastRenewal[0] = Instant.now();
                            // a merge patch of the annotations only, as a client renews
                            clusters()
                                    .withName("leased")
                                    .patch(
                                            PatchContext.of(PatchType.JSON_MERGE),
                                            Serialization.asJson(
                                                    Map.of(
                                                            "metadata",
                                                            Map.of(
                                                                    "annotations",
                                                                    lease.renewedAt(lastRenewal[0])
                                                                            .annotations()))));
                            return exists("leased");
                        });

        // the client is gone: no more renewals
        await().atMost(LEASE.plusSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !exists("leased"));
        System.out.printf(
                "lease %d s: cluster deleted %.1f s after the last renewal%n",
                LEASE.toSeconds(),
                Duration.between(lastRenewal[0], Instant.now()).toMillis() / 1000.0);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> runtime.events("leased"),
                        events -> events.contains("LeaseExpired: the lease of test-client:1"));
        assertThat(runtime.events("leased")).contains("deleting the cluster");
        assertThat(exists("unleased")).isTrue();
        assertThat(runtime.events("unleased")).doesNotContain("LeaseExpired", "IdleTimeout");
        clusters().withName("unleased").delete();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
                    DaskCluster,
                    io.fabric8.kubernetes.api.model.KubernetesResourceList<DaskCluster>,
                    io.fabric8.kubernetes.client.dsl.Resource<DaskCluster>>
            clusters() {
        return runtime.client().resources(DaskCluster.class).inNamespace("default");
    }

    private void create(String yaml) {
        clusters().resource(Serialization.unmarshal(yaml, DaskCluster.class)).create();
    }

    private boolean exists(String name) {
        return clusters().withName(name).get() != null;
    }

    /** A Python process that imports Dask, then connects to the address it reads. */
    private static Process daskClient() throws IOException {
        return new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        "import sys\n"
                                + "from dask.distributed import Client\n"
                                + "print('ready', flush=True)\n"
                                + "c = Client(sys.stdin.readline().strip(), timeout=30)\n"
                                + "print('connected', flush=True)\n"
                                + "sys.stdin.read()\n")
                .redirectErrorStream(true)
                .start();
    }

    /** Gives the client its address; returns once it holds a connection to the scheduler. */
    private static void connect(Process client, String address) throws IOException {
        client.getOutputStream().write((address + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        java.io.BufferedReader out =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                                client.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("connected")) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the Dask client did not connect:\n" + seen);
    }

    /**
     * Upstream's simplecluster.yaml renamed, with {@code workers}, an idle timeout (0 = none) and
     * extra annotations.
     */
    private static String cluster(
            String name, int workers, int idleTimeout, Map<String, String> annotations) {
        StringBuilder extra = new StringBuilder();
        annotations.forEach(
                (k, v) ->
                        extra.append("    \"").append(k).append("\": \"").append(v).append("\"\n"));
        String yaml =
                OperatorOnLocalRuntime.upstream("simplecluster.yaml")
                        .replace("name: simple\n", "name: " + name + "\n")
                        .replace(
                                "dask.org/cluster-name: simple\n",
                                "dask.org/cluster-name: " + name + "\n")
                        .replace("replicas: 2", "replicas: " + workers)
                        .replace("\n  annotations:\n", "\n  annotations:\n" + extra);
        if (idleTimeout > 0) {
            yaml =
                    yaml.replace(
                            "spec:\n  worker:\n",
                            "spec:\n  idleTimeout: " + idleTimeout + "\n  worker:\n");
        }
        assertThat(yaml).contains("name: " + name + "\n", "replicas: " + workers);
        return yaml;
    }
}
