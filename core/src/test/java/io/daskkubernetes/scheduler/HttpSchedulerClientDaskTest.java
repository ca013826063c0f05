package io.daskkubernetes.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP client against a real dask-scheduler with its HTTP API on, checked against the same
 * scheduler over TCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class HttpSchedulerClientDaskTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    private DaskProcesses dask;
    private DaskProcesses.Scheduler scheduler;
    private HttpSchedulerClient client;
    private TcpSchedulerClient tcp;

    @BeforeAll
    void startScheduler() throws Exception {
        dask = new DaskProcesses();
        scheduler = dask.startSchedulerWithRunningWorkers(true, 2, LONG);
        client = new HttpSchedulerClient(scheduler.dashboard(), scheduler.address());
        tcp = new TcpSchedulerClient(scheduler.address());
    }

    @AfterAll
    void stopScheduler() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            if (tcp != null) {
                tcp.close();
            }
        } finally {
            dask.close();
        }
    }

    @Test
    void identityOverHttpIsTheSchedulersOwn() {
        SchedulerInfo overHttp = client.identity();
        SchedulerInfo overTcp = tcp.identity();

        assertThat(overHttp.id()).startsWith("Scheduler-").isEqualTo(overTcp.id());
        assertThat(overHttp.address()).isEqualTo(scheduler.address());
        assertThat(overHttp.services()).containsEntry("dashboard", scheduler.dashboardPort());
        assertThat(overHttp.workers())
                .extracting(DaskWorker::address)
                .containsExactlyInAnyOrderElementsOf(
                        overTcp.workers().stream().map(DaskWorker::address).toList());
        assertThat(overHttp.workers()).extracting(DaskWorker::name).contains("w1", "w2");
        assertThat(overHttp.workers())
                .allSatisfy(
                        worker -> {
                            assertThat(worker.nthreads()).isEqualTo(1);
                            assertThat(worker.memoryLimit()).isEqualTo(1_000_000_000L);
                            assertThat(worker.host()).isEqualTo("127.0.0.1");
                        });
    }

    @Test
    void adaptiveTargetOverHttpEqualsTheTargetOverTcp() {
        // Two calls, one after the other: on a loaded machine the target may move between them
        // (the workers' memory and occupancy change), so they must agree once it is still.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(client.adaptiveTarget())
                                        .isBetween(0, 2)
                                        .isEqualTo(tcp.adaptiveTarget()));
    }

    @Test
    void workersToCloseIsAskedOverTcp() {
        List<String> toClose = client.workersToClose(1);

        assertThat(toClose).hasSize(1);
        assertThat(client.workers()).extracting(DaskWorker::address).contains(toClose.get(0));
        try (HttpSchedulerClient withoutTcp =
                new HttpSchedulerClient(scheduler.dashboard(), null)) {
            assertThatThrownBy(() -> withoutTcp.workersToClose(1))
                    .isInstanceOf(SchedulerException.class)
                    .hasMessageContaining("no 'workers_to_close' route and no TCP address");
        }
    }

    @Test
    void retiringOverHttpMovesTheDataAndRemovesTheWorker() throws Exception {
        DaskProcesses.Worker w3 = dask.startWorker(scheduler, "w3", true);
        String w3Address =
                await("w3 registered")
                        .atMost(LONG)
                        .until(() -> addressOf("w3"), address -> address != null);
        DaskProcesses.PythonScript python =
                dask.startPython(
                        "persist-http",
                        DaskClientScripts.PERSIST_ON_ONE_WORKER,
                        scheduler.address(),
                        w3Address);
        assertThat(python.nextLine(LONG)).isEqualTo("stored 100 " + w3Address);

        var retired = client.retireWorkers(List.of(w3Address));

        assertThat(retired).containsOnlyKeys(w3Address);
        assertThat(retired.get(w3Address).name()).isEqualTo("w3");
        assertThat(client.workers()).extracting(DaskWorker::address).doesNotContain(w3Address);
        // The HTTP API does not close the worker: stop it as deleting its pod would, before its
        // nanny restarts it.
        DaskProcesses.killTree(w3.process());
        python.send("check");
        assertThat(python.nextLine(LONG)).startsWith("values 4950 100 ").doesNotContain(w3Address);
        python.finish();
    }

    @Test
    void theAutomaticChoiceIsHttpWhenItAnswers() {
        try (SchedulerClient chosen =
                SchedulerClients.connect(
                        scheduler.address(), scheduler.dashboard(), Duration.ofSeconds(10))) {
            assertThat(chosen.transportName()).isEqualTo("http");
            assertThat(chosen.healthy()).isTrue();
            assertThat(chosen.workers()).extracting(DaskWorker::name).contains("w1", "w2");
        }
    }

    private String addressOf(String name) {
        return client.workers().stream()
                .filter(w -> w.name().equals(name))
                .map(DaskWorker::address)
                .findFirst()
                .orElse(null);
    }
}
