package io.daskkubernetes.operator;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The autoscaler scenario of the end-to-end test and the benchmark: upstream's simplecluster.yaml
 * with a DaskAutoscaler {min 1, max 5}, left idle until it has 1 worker; then a Python client's
 * backlog of short tasks, whose results it keeps persisted, and the idle time after it. Times are
 * measured from the moment the client has submitted the backlog, and from the moment the work is
 * done.
 */
final class AutoscaledBacklog implements AutoCloseable {

    static final String GROUP = "simple-default";
    static final int MINIMUM = 1;
    static final int MAXIMUM = 5;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String AUTOSCALER =
            """
            apiVersion: kubernetes.dask.org/v1
            kind: DaskAutoscaler
            metadata:
              name: simple
            spec:
              cluster: simple
              minimum: %d
              maximum: %d
            """
                    .formatted(MINIMUM, MAXIMUM);

    private final KubernetesClient client;
    private final SchedulerClient scheduler;
    private final String schedulerAddress;

    private AutoscaledBacklog(
            KubernetesClient client, SchedulerClient scheduler, String schedulerAddress) {
        this.client = client;
        this.scheduler = scheduler;
        this.schedulerAddress = schedulerAddress;
    }

    /**
     * What happened, in seconds: replicas raised (and to how many) and a second worker registered
     * after the backlog; the work done after it (and on how many workers the results were);
     * replicas back to the minimum, and workers and pods back to it, after the work was done; and
     * the client's check of its results after the shrink.
     */
    record Reaction(
            double replicasRaised,
            int raisedTo,
            double secondWorkerRegistered,
            double workDone,
            int workersHoldingResults,
            double replicasBackToMinimum,
            double workersBackToMinimum,
            JsonNode check) {}

    /** Applies the cluster and its autoscaler and waits until the cluster idles at 1 worker. */
    static AutoscaledBacklog start(OperatorOnLocalRuntime runtime, Path dir) {
        KubernetesClient client = runtime.client();
        try {
            Path autoscaler = Files.writeString(dir.resolve("autoscaler.yaml"), AUTOSCALER);
            // kubectl's own limit is 30 s; on a loaded machine its first apply of two kinds can
            // take longer (discovery of the DaskAutoscaler kind), which is not the operator's time
            runtime.kubectl()
                    .exec(
                            List.of(
                                    "/usr/bin/kubectl",
                                    "apply",
                                    "-f",
                                    OperatorOnLocalRuntime.MANIFESTS
                                            .resolve("simplecluster.yaml")
                                            .toString(),
                                    "-f",
                                    autoscaler.toString()),
                            120);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(PATIENCE)
                .until(
                        () ->
                                client.services()
                                                .inNamespace("default")
                                                .withName("simple-scheduler")
                                                .get()
                                        != null);
        String serviceIp =
                client.services()
                        .inNamespace("default")
                        .withName("simple-scheduler")
                        .get()
                        .getSpec()
                        .getClusterIP();
        String address = "tcp://" + serviceIp + ":8786";
        URI dashboard = URI.create("http://" + serviceIp + ":8787");
        await().atMost(PATIENCE).until(() -> answers(address, dashboard));
        SchedulerClient scheduler =
                SchedulerClients.connect(address, dashboard, Duration.ofSeconds(5));
        AutoscaledBacklog backlog = new AutoscaledBacklog(client, scheduler, address);
        try {
            // simplecluster asks for 2 workers; idle, the autoscaler brings them to 1
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> backlog.atMinimum());
            return backlog;
        } catch (RuntimeException | AssertionError e) {
            backlog.close();
            throw e;
        }
    }

    /** Submits {@code tasks} tasks of {@code each}, and follows the autoscaler until idle again. */
    Reaction run(int tasks, Duration each) {
        PersistedResults client = PersistedResults.submit(schedulerAddress, tasks, each, PATIENCE);
        try (client) {
            long submitted = System.nanoTime();
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> replicas() > MINIMUM);
            double raised = seconds(submitted);
            int raisedTo = replicas();
            log(
                    "replicas raised to %d %.2f s after the backlog of %d x %d ms",
                    raisedTo, raised, tasks, each.toMillis());
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> scheduler.workers().size() > MINIMUM);
            double grown = seconds(submitted);
            log("a second worker registered %.2f s after the backlog", grown);

            JsonNode persisted = client.awaitPersisted(PATIENCE.multipliedBy(2));
            double done = seconds(submitted);
            long doneAt = System.nanoTime();
            log("work done %.2f s after the backlog: %s", done, persisted);

            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> replicas() == MINIMUM);
            double replicasDown = seconds(doneAt);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(this::atMinimum);
            double workersDown = seconds(doneAt);
            log(
                    "replicas back to %d %.2f s after the work was done, workers and pods %.2f s",
                    MINIMUM, replicasDown, workersDown);
            return new Reaction(
                    raised,
                    raisedTo,
                    grown,
                    done,
                    persisted.path("workers").asInt(),
                    replicasDown,
                    workersDown,
                    client.check(PATIENCE));
        }
    }

    private boolean atMinimum() {
        return replicas() == MINIMUM
                && scheduler.workers().size() == MINIMUM
                && client
                                .pods()
                                .inNamespace("default")
                                .withLabel(OperatorLabels.WORKER_GROUP_NAME, GROUP)
                                .list()
                                .getItems()
                                .stream()
                                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                                .count()
                        == MINIMUM;
    }

    int replicas() {
        DaskWorkerGroup group =
                client.resources(DaskWorkerGroup.class)
                        .inNamespace("default")
                        .withName(GROUP)
                        .get();
        return group == null ? 0 : group.getSpec().getWorker().replicasOrDefault();
    }

    private static boolean answers(String address, URI dashboard) {
        try (SchedulerClient probe =
                SchedulerClients.connect(address, dashboard, Duration.ofSeconds(2))) {
            return probe.healthy();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("autoscaled backlog: " + format + "%n", args);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
