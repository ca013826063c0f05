package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.config.ClusterSettingsResolver;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.ClusterSettings;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.DesiredWorkers;
import io.daskkubernetes.model.MakePodSpec;
import io.daskkubernetes.scheduler.DaskWorker;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerInfo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API tier: several scalers of one cluster, each with its own pool as separate {@code scale}
 * commands would have, against fabric8's CRUD mock and a scheduler in memory whose retiring takes
 * time, so that the requests overlap. Each scaler starts acting after a random delay, as a command
 * whose JVM starts slowly does.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ConvergentScalerTest {

    private static final String NAME = "converge-test";
    private static final String NAMESPACE = "test";

    /** The sequence: seven requests, the last one for 3. */
    private static final List<Integer> REQUESTS = List.of(5, 2, 6, 1, 4, 6, 3);

    private static final int RUNS = 10;
    private static final Duration APART = Duration.ofMillis(150);
    private static final int MAX_START_DELAY_MS = 600;

    static KubernetesClient client;

    private PodScheduler scheduler = new PodScheduler();
    private final ExecutorService creators = Executors.newFixedThreadPool(4);
    private final ExecutorService commands = Executors.newCachedThreadPool();
    private ClusterModel model;

    @BeforeEach
    void setUp() {
        ClusterSettings spec =
                ClusterSettingsResolver.of(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                        .workerTemplate(MakePodSpec.builder().image("daskdev/dask:latest").build())
                        .name(NAME)
                        .namespace(NAMESPACE)
                        .resolve();
        model = ClusterModel.of(spec, NAMESPACE, new Random(0));
        client.configMaps()
                .inNamespace(NAMESPACE)
                .resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName(NAME)
                                .withLabels(Map.of(DaskLabels.CLUSTER_NAME, NAME))
                                .endMetadata()
                                .withData(Map.of("namespace", NAMESPACE))
                                .build())
                .create();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        commands.shutdownNow();
        creators.shutdownNow();
        commands.awaitTermination(10, TimeUnit.SECONDS);
        client.pods().inNamespace(NAMESPACE).delete();
        client.configMaps().inNamespace(NAMESPACE).delete();
    }

    @Test
    void sevenOverlappingScalersEndAtTheLastRequestInTenRunsOfTen() {
        List<Integer> endCounts = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            endCounts.add(sevenOverlappingScalers(run));
        }
        System.out.println("ConvergentScalerTest: worker pods at the end of each run " + endCounts);
        assertThat(endCounts).as("pods at the end of each run").containsOnly(3).hasSize(RUNS);
    }

    /** One run of the seven requests; returns the live worker pods at its end. */
    private int sevenOverlappingScalers(int run) {
        client.pods().inNamespace(NAMESPACE).delete();
        scheduler = new PodScheduler();
        scaler().scale(4, Instant.now().minusSeconds(60));
        registerAll();

        List<CompletableFuture<ConvergentScaler.Result>> results = new ArrayList<>();
        Instant start = Instant.now();
        for (int i = 0; i < REQUESTS.size(); i++) {
            int workers = REQUESTS.get(i);
            Instant requestedAt = start.plus(APART.multipliedBy(i));
            results.add(
                    CompletableFuture.supplyAsync(
                            () -> {
                                pauseUntil(requestedAt);
                                // A command's JVM start: the request reaches Kubernetes late.
                                pause(ThreadLocalRandom.current().nextInt(MAX_START_DELAY_MS));
                                return scaler().scale(workers, requestedAt);
                            },
                            commands));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();

        assertThat(new DesiredWorkerCount(client, NAMESPACE, NAME).read())
                .as("run %d: the stored count", run)
                .map(DesiredWorkers::workers)
                .contains(3);
        assertThat(results.get(REQUESTS.size() - 1).join().reached())
                .as("run %d: the last request is never superseded", run)
                .isEqualTo(3);
        assertThat(scheduler.podsDeletedBeforeRetiring)
                .as("run %d: no worker's pod went before the worker was retired", run)
                .isEmpty();
        return liveWorkerPods().size();
    }

    @Test
    void anEarlierRequestArrivingLateDoesNotUndoALaterOne() {
        Instant now = Instant.now();
        scaler().scale(2, now);

        ConvergentScaler.Result late = scaler().scale(5, now.minusMillis(700));

        assertThat(late.requested()).isEqualTo(5);
        assertThat(late.reached()).isEqualTo(2);
        assertThat(liveWorkerPods()).hasSize(2);
    }

    @Test
    void aWriteToAnotherKeyOfTheOwnerMadeMeanwhileIsKept() {
        // Another writer of the owner (a lease's renewal, the adaptive bounds) updates it in a
        // loop while requests are recorded, retrying on a conflict as it must: a replace that
        // ignored the resourceVersion would undo some of its writes.
        DesiredWorkerCount desired = new DesiredWorkerCount(client, NAMESPACE, NAME);
        CompletableFuture<Void> renewals =
                CompletableFuture.runAsync(
                        () -> {
                            for (int i = 1; i <= 30; i++) {
                                renew(Integer.toString(i));
                            }
                        },
                        commands);
        for (int i = 0; i < 30; i++) {
            desired.record(new DesiredWorkers(i, Instant.now()));
        }
        renewals.join();

        ConfigMap owner = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
        assertThat(owner.getData()).containsEntry("renewals", "30");
        assertThat(DesiredWorkers.of(owner)).map(DesiredWorkers::workers).contains(29);
    }

    /** Sets data.renewals, retrying on a conflict with another writer. */
    private static void renew(String value) {
        while (true) {
            try {
                client.configMaps()
                        .inNamespace(NAMESPACE)
                        .withName(NAME)
                        .edit(
                                owner ->
                                        new ConfigMapBuilder(owner)
                                                .addToData("renewals", value)
                                                .build());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    private ConvergentScaler scaler() {
        WorkerPool pool =
                new WorkerPool(client, model, () -> scheduler, OptionalInt.empty(), creators);
        return new ConvergentScaler(
                new DesiredWorkerCount(client, NAMESPACE, NAME), pool, OptionalInt.empty(), NAME);
    }

    private void registerAll() {
        listPods().forEach(pod -> scheduler.register(pod.getMetadata().getName()));
    }

    private List<Pod> listPods() {
        return client.pods()
                .inNamespace(NAMESPACE)
                .withLabels(model.workerSelector())
                .list()
                .getItems();
    }

    private List<String> liveWorkerPods() {
        return listPods().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .map(pod -> pod.getMetadata().getName())
                .toList();
    }

    private static void pauseUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            pause(millis);
        }
    }

    /** Stands for time a real command spends elsewhere (JVM start, moving data); not a wait. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A scheduler in memory whose workers are the worker pods that exist: a pod's worker registers
     * when asked about after its pod exists. Retiring takes 100 ms, as moving data does.
     */
    private final class PodScheduler implements SchedulerClient {
        private final Map<String, DaskWorker> registered = new LinkedHashMap<>();
        private final Set<String> retired = new HashSet<>();
        final List<String> podsDeletedBeforeRetiring = new ArrayList<>();

        static String address(String pod) {
            return "tcp://" + pod + ".workers.test:40000";
        }

        synchronized void register(String pod) {
            registered.put(address(pod), DaskWorker.named(address(pod), pod));
        }

        @Override
        public synchronized List<DaskWorker> workers() {
            // Listed under the lock: a listing older than a registration would look like a loss.
            List<String> pods = liveWorkerPods();
            {
                for (String address : List.copyOf(registered.keySet())) {
                    if (pods.stream().noneMatch(p -> address(p).equals(address))) {
                        // Its pod went while the worker was still registered, not retired.
                        podsDeletedBeforeRetiring.add(address);
                        registered.remove(address);
                    }
                }
                pods.stream()
                        .filter(pod -> !retired.contains(address(pod)))
                        .forEach(this::register);
                return List.copyOf(registered.values());
            }
        }

        @Override
        public synchronized List<String> workersToClose(int n) {
            return registered.keySet().stream().sorted().limit(n).toList();
        }

        @Override
        public Map<String, DaskWorker> retireWorkers(Collection<String> addresses) {
            Map<String, DaskWorker> gone = new LinkedHashMap<>();
            synchronized (this) {
                for (String address : addresses) {
                    retired.add(address);
                    DaskWorker worker = registered.remove(address);
                    if (worker != null) {
                        gone.put(address, worker);
                    }
                }
            }
            pause(100);
            return gone;
        }

        @Override
        public SchedulerInfo identity() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int adaptiveTarget() {
            return 0;
        }

        @Override
        public int adaptiveTarget(Duration targetDuration) {
            return 0;
        }

        @Override
        public Map<String, Map<String, String>> packageVersions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public String transportName() {
            return "fake";
        }

        @Override
        public void close() {}
    }
}
