package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime runs a real Dask cluster: a dask-scheduler pod behind a Service, two dask-worker pods
 * that find it by Service name, and a real Python client on this machine that computes through the
 * cluster IP.
 */
class DaskEndToEndTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    private static Pod scheduler() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("scheduler")
                .addToLabels("component", "scheduler")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("scheduler")
                .withImage("ghcr.io/dask/dask:latest")
                .withArgs("dask-scheduler")
                .addNewPort()
                .withName("tcp-comm")
                .withContainerPort(8786)
                .endPort()
                .withNewReadinessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString("tcp-comm"))
                .endTcpSocket()
                .withPeriodSeconds(1)
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .build();
    }

    private static Pod worker(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("component", "worker")
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("worker")
                .withImage("ghcr.io/dask/dask:latest")
                .withArgs(
                        "dask-worker",
                        "$(DASK_SCHEDULER_ADDRESS)",
                        "--nthreads",
                        "1",
                        "--name",
                        "$(POD_NAME)")
                .addNewEnv()
                .withName("DASK_SCHEDULER_ADDRESS")
                .withValue("tcp://dask.default:8786")
                .endEnv()
                .addNewEnv()
                .withName("POD_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPythonClientComputesOnSchedulerAndWorkerPods() throws Exception {
        client.pods().resource(scheduler()).create();
        Service service =
                client.services()
                        .resource(
                                new ServiceBuilder()
                                        .withNewMetadata()
                                        .withName("dask")
                                        .endMetadata()
                                        .withNewSpec()
                                        .addToSelector("component", "scheduler")
                                        .addNewPort()
                                        .withName("tcp-comm")
                                        .withPort(8786)
                                        .endPort()
                                        .endSpec()
                                        .build())
                        .create();
        client.pods().resource(worker("worker-1")).create();
        client.pods().resource(worker("worker-2")).create();

        String address = "tcp://" + service.getSpec().getClusterIP() + ":8786";
        Process python =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-c",
                                String.join(
                                        "\n",
                                        "import distributed",
                                        "c = distributed.Client('" + address + "', timeout=30)",
                                        "c.wait_for_workers(2, timeout=40)",
                                        "print(c.submit(lambda x: x + 1, 41).result())",
                                        "print(sorted(w['name'] for w in c.scheduler_info()['workers'].values()))",
                                        "c.close()"))
                        .redirectErrorStream(true)
                        .start();
        try {
            boolean finished = python.waitFor(50, TimeUnit.SECONDS);
            String output =
                    new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String context =
                    output
                            + "\n--- worker-1:\n"
                            + client.pods().withName("worker-1").getLog()
                            + "\n--- scheduler:\n"
                            + client.pods().withName("scheduler").getLog();
            assertThat(finished).as(context).isTrue();
            assertThat(python.exitValue()).as(context).isZero();
            List<String> lines =
                    output.lines().filter(l -> !l.isBlank() && !l.contains("Warning")).toList();
            assertThat(lines).contains("42", "['worker-1', 'worker-2']");
        } finally {
            python.destroyForcibly();
        }

        // The workers' scratch space went to their own TMPDIR, not to a shared /tmp.
        String workerLog = client.pods().withName("worker-1").getLog();
        assertThat(workerLog)
                .contains("Registered to")
                .contains(kubernetes.stateDirectory().toString());
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () ->
                                client.pods()
                                        .withName("scheduler")
                                        .getLog()
                                        .contains("Register worker"));
    }
}
