package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A scheduler that does not answer is counted in dask_operator_scheduler_errors_total. */
class SchedulerErrorCounterTest {

    @Test
    void aSchedulerThatDoesNotAnswerIsCountedAsAConnectError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed
        }
        Pod scheduler =
                new PodBuilder()
                        .withNewMetadata()
                        .withName("gone-scheduler")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("scheduler")
                        .addNewPort()
                        .withName("tcp-comm")
                        .withContainerPort(closedPort)
                        .endPort()
                        .addNewPort()
                        .withName("http-dashboard")
                        .withContainerPort(closedPort)
                        .endPort()
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Running")
                        .withPodIP("127.0.0.1")
                        .endStatus()
                        .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SchedulerConnections connections = new SchedulerConnections()) {
            connections.countErrorsIn(registry);

            assertThat(connections.reach(scheduler).client()).isEmpty();
            assertThat(connections.reach(scheduler).client()).isEmpty();

            assertThat(
                            registry.get("dask.operator.scheduler.errors")
                                    .tag("kind", "connect")
                                    .counter()
                                    .count())
                    .isEqualTo(2.0);
            assertThat(
                            registry.get("dask.operator.scheduler.errors")
                                    .tag("kind", "call")
                                    .counter()
                                    .count())
                    .isZero();
        }
    }
}
