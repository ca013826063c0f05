package io.daskkubernetes.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The TCP client against a real dask-scheduler whose HTTP API is off, with real workers and a real
 * Python client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TcpSchedulerClientDaskTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    private DaskProcesses dask;
    private DaskProcesses.Scheduler scheduler;
    private TcpSchedulerClient client;

    @BeforeAll
    void startScheduler() throws Exception {
        dask = new DaskProcesses();
        scheduler = dask.startSchedulerWithRunningWorkers(false, 2, LONG);
        client = new TcpSchedulerClient(scheduler.address());
    }

    @AfterAll
    void stopScheduler() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            dask.close();
        }
    }

    @Test
    void identityDescribesTheSchedulerAndItsWorkers() {
        SchedulerInfo info = client.identity();

        assertThat(info.address()).isEqualTo(scheduler.address());
        assertThat(info.id()).startsWith("Scheduler-");
        assertThat(info.services()).containsEntry("dashboard", scheduler.dashboardPort());
        assertThat(info.workers()).extracting(DaskWorker::name).contains("w1", "w2");
        for (DaskWorker worker : info.workers()) {
            assertThat(worker.address()).startsWith("tcp://127.0.0.1:");
            assertThat(worker.host()).isEqualTo("127.0.0.1");
            assertThat(worker.nthreads()).isEqualTo(1);
            assertThat(worker.memoryLimit()).isEqualTo(1_000_000_000L);
            assertThat(worker.nanny()).as("started under a nanny").startsWith("tcp://127.0.0.1:");
            assertThat(worker.status()).isEqualTo("running");
        }
    }

    @Test
    void adaptiveTargetGrowsWithABacklogAndFallsBackWhenItEnds() throws Exception {
        int idle = client.adaptiveTarget();
        assertThat(idle).isBetween(0, 2);

        DaskProcesses.PythonScript backlog =
                dask.startPython("backlog", DaskClientScripts.BACKLOG, scheduler.address(), "40");
        assertThat(backlog.nextLine(LONG)).isEqualTo("submitted 40");

        // 40 one-second tasks on two one-thread workers: the scheduler wants more than the two it
        // has.
        await("target above 2").atMost(LONG).until(client::adaptiveTarget, target -> target > 2);
        assertThat(client.adaptiveTarget(Duration.ofSeconds(1)))
                .as("a shorter target duration asks for more workers")
                .isGreaterThan(client.adaptiveTarget(Duration.ofSeconds(60)));

        backlog.finish();
        await("python client gone").atMost(LONG).until(() -> !backlog.process().isAlive());
        await("target back to idle")
                .atMost(LONG)
                .until(client::adaptiveTarget, target -> target <= 2);
    }

    @Test
    void retiringTheWorkerThatHoldsDataMovesTheDataAndStopsTheWorker() throws Exception {
        DaskProcesses.Worker w3 = dask.startWorker(scheduler, "w3", true);
        String w3Address =
                await("w3 registered")
                        .atMost(LONG)
                        .until(() -> addressOf("w3"), address -> address != null);
        DaskProcesses.PythonScript python =
                dask.startPython(
                        "persist-tcp",
                        DaskClientScripts.PERSIST_ON_ONE_WORKER,
                        scheduler.address(),
                        w3Address);
        assertThat(python.nextLine(LONG)).isEqualTo("stored 100 " + w3Address);
        // Task counts come with the worker's heartbeat, so they may lag the scatter a little.
        await("w3 reports its 100 results")
                .atMost(LONG)
                .until(
                        () ->
                                client.workers().stream()
                                                .filter(w -> w.address().equals(w3Address))
                                                .mapToInt(DaskWorker::tasksStored)
                                                .sum()
                                        == 100);

        // The scheduler keeps the worker holding data and offers an idle one.
        List<String> toClose = client.workersToClose(1);
        assertThat(toClose).hasSize(1).doesNotContain(w3Address);
        assertThat(toClose.get(0)).isIn(addressOf("w1"), addressOf("w2"));

        var retired = client.retireWorkers(List.of(w3Address));

        assertThat(retired).containsOnlyKeys(w3Address);
        assertThat(retired.get(w3Address).name()).isEqualTo("w3");
        await("w3 and its nanny exit").atMost(LONG).until(() -> !w3.isAlive());
        assertThat(client.workers()).extracting(DaskWorker::address).doesNotContain(w3Address);
        python.send("check");
        String check = python.nextLine(LONG);
        assertThat(check).startsWith("values 4950 100 ").doesNotContain(w3Address);
        python.finish();
    }

    @Test
    void theAutomaticChoiceIsTcpWhenTheHttpApiIsOff() {
        // The dashboard answers /health (a default route) but not /api/v1/adaptive_target.
        try (SchedulerClient chosen =
                SchedulerClients.connect(
                        scheduler.address(), scheduler.dashboard(), Duration.ofSeconds(10))) {
            assertThat(chosen.transportName()).isEqualTo("tcp");
            assertThat(chosen.healthy()).isTrue();
            assertThat(chosen.workers()).extracting(DaskWorker::name).contains("w1", "w2");
        }
        try (SchedulerClient chosen =
                SchedulerClients.connect(scheduler.address(), null, Duration.ofSeconds(10))) {
            assertThat(chosen.transportName()).isEqualTo("tcp");
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
