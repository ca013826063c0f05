package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.model.ClusterLease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator ends clusters nobody needs: upstream's simplecluster.yaml with {@code idleTimeout:
 * 5} (idle as the scheduler counts it: no client, no task), and a cluster whose client's lease is
 * no longer renewed; a cluster without a lease (as kubectl makes it) is left alone. Real Dask.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterLifetimeEndToEndTest {

    private static final Duration LEASE = Duration.ofSeconds(10);

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
    void anIdleClusterIsDeletedAfterItsIdleTimeoutWithAnEvent(@TempDir Path dir) {
        Instant applied = Instant.now();
        runtime.apply(dir, "idle.yaml", cluster("idle", 1, 5, Map.of()));

        await().atLeast(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !runtime.exists("daskcluster", "idle"));
        System.out.printf(
                "idleTimeout 5: cluster deleted %.1f s after kubectl apply%n",
                Duration.between(applied, Instant.now()).toMillis() / 1000.0);
        assertThat(runtime.events("idle"))
                .contains(
                        "IdleTimeout: the scheduler has had no client and no task for",
                        "(spec.idleTimeout 5 s); deleting the cluster");
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
    void aConnectedClientKeepsAClusterWithAnIdleTimeout(@TempDir Path dir) throws Exception {
        runtime.apply(dir, "busy.yaml", cluster("busy", 0, 10, Map.of()));
        String ip =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () ->
                                        kubectl.run(
                                                "get",
                                                "pod",
                                                "busy-scheduler",
                                                "--ignore-not-found",
                                                "-o",
                                                "jsonpath={.status.podIP}"),
                                address -> !address.isEmpty());
        // straight to the scheduler pod (retrying for up to 30 s), not waiting for the Service's
        // readiness, with no task: Dask's own check_idle would call this scheduler idle
        Process client = connectedClient("tcp://" + ip + ":8786");
        try {
            await().during(Duration.ofSeconds(12))
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> client.isAlive() && runtime.exists("daskcluster", "busy"));
        } finally {
            client.destroy();
            client.waitFor(10, TimeUnit.SECONDS);
        }
        Instant gone = Instant.now();
        await().atMost(Duration.ofSeconds(25))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !runtime.exists("daskcluster", "busy"));
        System.out.printf(
                "idleTimeout 10: deleted %.1f s after its only client left%n",
                Duration.between(gone, Instant.now()).toMillis() / 1000.0);
    }

    @Test
    @Timeout(60)
    void aClusterWhoseLeaseIsNoLongerRenewedIsDeletedAndOneWithoutALeaseStays(@TempDir Path dir) {
        runtime.apply(dir, "unleased.yaml", cluster("unleased", 0, 0, Map.of()));
        ClusterLease lease = new ClusterLease("test-client:1", Instant.now(), LEASE);
        // as a client does: create the cluster with its lease, then renew it
        runtime.apply(dir, "leased.yaml", cluster("leased", 0, 0, lease.annotations()));

        // a client renews every second: the cluster outlives its first expiry
        Instant[] lastRenewal = {Instant.now()};
        await().during(LEASE.plusSeconds(2))
                .atMost(LEASE.plusSeconds(15))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            lastRenewal[0] = Instant.now();
                            kubectl.run(
                                    "annotate",
                                    "--overwrite",
                                    "daskcluster",
                                    "leased",
                                    ClusterLease.RENEW_TIME + "=" + lastRenewal[0]);
                            return runtime.exists("daskcluster", "leased");
                        });

        // the client is gone: no more renewals
        await().atMost(LEASE.plusSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !runtime.exists("daskcluster", "leased"));
        System.out.printf(
                "lease %d s: cluster deleted %.1f s after the last renewal%n",
                LEASE.toSeconds(),
                Duration.between(lastRenewal[0], Instant.now()).toMillis() / 1000.0);
        assertThat(runtime.events("leased"))
                .contains("LeaseExpired: the lease of test-client:1", "deleting the cluster");
        assertThat(runtime.exists("daskcluster", "unleased")).isTrue();
        assertThat(runtime.events("unleased")).doesNotContain("LeaseExpired", "IdleTimeout");
        kubectl.run("delete", "daskcluster", "unleased", "--wait=false");
    }

    /** A Python process holding a Dask client, with no work, until it is destroyed. */
    private static Process connectedClient(String address) throws IOException {
        Process process =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-c",
                                "import sys\n"
                                        + "from dask.distributed import Client\n"
                                        + "c = Client('"
                                        + address
                                        + "', timeout=30)\n"
                                        + "print('connected', flush=True)\n"
                                        + "sys.stdin.read()\n")
                        .redirectErrorStream(true)
                        .start();
        try {
            java.io.BufferedReader out =
                    new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals("connected")) {
                    return process;
                }
                seen.append(line).append('\n');
            }
            throw new AssertionError("the Dask client did not connect:\n" + seen);
        } catch (IOException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
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
