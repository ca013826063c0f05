package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Dask cluster on the host network, as every user who is not root runs it: the worker is given
 * the scheduler's Service name, {@code tcp://<service>.default:<port>}, and finds it.
 */
class DaskOnHostNetworkTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.builder().podNetwork(PodNetworkMode.HOST).start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    /**
     * A free port: pods share the host's ports, and other tests may run Dask on 8786 at the same
     * time.
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** How many workers the scheduler knows, asked by a real Python client from this machine. */
    private static String workerCount(int port) throws Exception {
        Process python =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-c",
                                "import distributed; "
                                        + "c = distributed.Client('tcp://127.0.0.1:"
                                        + port
                                        + "', timeout=30); "
                                        + "print(len(c.scheduler_info()['workers'])); c.close()")
                        .redirectErrorStream(true)
                        .start();
        try {
            if (!python.waitFor(45, TimeUnit.SECONDS)) {
                return "python did not finish";
            }
            return new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            python.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aWorkerFindsTheSchedulerByServiceName() throws Exception {
        int port = freePort();
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("scheduler")
                                .addToLabels("component", "scheduler")
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("scheduler")
                                .withArgs(
                                        "dask-scheduler",
                                        "--port",
                                        String.valueOf(port),
                                        "--dashboard-address",
                                        ":0")
                                .addNewPort()
                                .withName("tcp-comm")
                                .withContainerPort(port)
                                .endPort()
                                .withNewReadinessProbe()
                                .withNewTcpSocket()
                                .withPort(new IntOrString("tcp-comm"))
                                .endTcpSocket()
                                .withPeriodSeconds(1)
                                .endReadinessProbe()
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        client.services()
                .resource(
                        new ServiceBuilder()
                                .withNewMetadata()
                                .withName("dask-hostnet")
                                .endMetadata()
                                .withNewSpec()
                                .addToSelector("component", "scheduler")
                                .addNewPort()
                                .withName("tcp-comm")
                                .withPort(port)
                                .withTargetPort(new IntOrString(port))
                                .endPort()
                                .endSpec()
                                .build())
                .create();
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("worker")
                                .endMetadata()
                                .withNewSpec()
                                .withRestartPolicy("Never")
                                .addNewContainer()
                                .withName("worker")
                                .withArgs(
                                        "dask-worker",
                                        "tcp://dask-hostnet.default:" + port,
                                        "--nthreads",
                                        "1",
                                        "--no-dashboard",
                                        "--host",
                                        "127.0.0.1")
                                .endContainer()
                                .endSpec()
                                .build())
                .create();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () ->
                                assertThat(workerCount(port))
                                        .as(
                                                () ->
                                                        "worker log:\n"
                                                                + client.pods()
                                                                        .withName("worker")
                                                                        .getLog())
                                        .endsWith("1\n"));
        assertThat(client.pods().withName("worker").getLog()).contains("Registered to");
    }
}
