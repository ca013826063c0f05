package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.config.ClusterSettingsResolver;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.ClusterSettings;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.MakePodSpec;
import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.scheduler.DaskWorker;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API tier: the worker pool against fabric8's CRUD mock server and a scheduler in memory, so that
 * the scaling arithmetic and the order of retire and delete can be checked exactly, without
 * processes.
 */
@EnableKubernetesMockClient(crud = true)
class WorkerPoolTest {

    static KubernetesClient client;

    private final FakeScheduler scheduler = new FakeScheduler();
    private final ExecutorService creators = Executors.newFixedThreadPool(4);
    private ClusterModel model;

    @BeforeEach
    void setUp() {
        ClusterSettings spec =
                ClusterSettingsResolver.of(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                        .workerTemplate(MakePodSpec.builder().image("daskdev/dask:latest").build())
                        .name("pool-test")
                        .namespace("test")
                        .resolve();
        model = ClusterModel.of(spec, "test", new Random(0));
    }

    @AfterEach
    void tearDown() {
        creators.shutdownNow();
        client.pods().inNamespace("test").delete();
    }

    private WorkerPool pool(OptionalInt countMax) {
        return new WorkerPool(client, model, () -> scheduler, countMax, creators);
    }

    private List<String> podNames() {
        return client
                .pods()
                .inNamespace("test")
                .withLabel(DaskLabels.CLUSTER_NAME, "pool-test")
                .list()
                .getItems()
                .stream()
                .map(p -> p.getMetadata().getName())
                .sorted()
                .toList();
    }

    @Test
    void scalesUpToTheCountAndClampsToCountMax() {
        pool(OptionalInt.of(4)).scale(3);
        assertThat(podNames()).hasSize(3).allMatch(n -> n.startsWith("pool-test-worker-"));
        pool(OptionalInt.of(4)).scale(10);
        assertThat(podNames()).hasSize(4);
    }

    @Test
    void shrinkingRemovesUnregisteredPodsWithoutAskingTheScheduler() {
        WorkerPool pool = pool(OptionalInt.empty());
        pool.scale(3);
        List<String> pods = podNames();
        scheduler.register(pods.get(0));

        pool.scale(1);

        assertThat(podNames()).containsExactly(pods.get(0));
        assertThat(scheduler.retired).isEmpty();
        assertThat(scheduler.closeQuestions).isEmpty();
    }

    @Test
    void retiresTheWorkersTheSchedulerNamesBeforeDeletingTheirPods() {
        WorkerPool pool = pool(OptionalInt.empty());
        pool.scale(3);
        List<String> pods = podNames();
        pods.forEach(scheduler::register);
        scheduler.closeOrder = List.of(pods.get(2), pods.get(0), pods.get(1));

        pool.scale(1);

        assertThat(scheduler.closeQuestions).containsExactly(2);
        assertThat(scheduler.retired)
                .containsExactly(
                        FakeScheduler.address(pods.get(2)), FakeScheduler.address(pods.get(0)));
        assertThat(scheduler.podsPresentAtRetire).containsAll(List.of(pods.get(2), pods.get(0)));
        assertThat(podNames()).containsExactly(pods.get(1));
    }

    @Test
    void endedPodsDoNotCountAndOnlyTheNextScalingDeletesThem() {
        WorkerPool pool = pool(OptionalInt.empty());
        pool.scale(2);
        String failed = podNames().get(0);
        Pod pod = client.pods().inNamespace("test").withName(failed).get();
        client.pods()
                .inNamespace("test")
                .resource(
                        new PodBuilder(pod).withNewStatus().withPhase("Failed").endStatus().build())
                .updateStatus();

        assertThat(pool.states())
                .extracting(WorkerState::podName)
                .doesNotContain(failed)
                .hasSize(1);
        assertThat(podNames()).as("reading the state deletes nothing").contains(failed);
        pool.scale(2);
        assertThat(podNames()).hasSize(2).doesNotContain(failed);
    }

    @Test
    void scaleDownByNameRejectsAWorkerThatIsNotThere() {
        WorkerPool pool = pool(OptionalInt.empty());
        pool.scale(1);
        assertThatThrownBy(() -> pool.scaleDown(List.of("no-such-worker")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-worker")
                .hasMessageContaining(podNames().get(0));
        assertThat(podNames()).hasSize(1);
    }

    @Test
    void adaptiveCandidatesArePendingPodsFirstThenTheSchedulersChoice() {
        WorkerPool pool = pool(OptionalInt.empty());
        pool.scale(3);
        List<String> pods = podNames();
        scheduler.register(pods.get(0));
        scheduler.register(pods.get(1));
        scheduler.closeOrder = List.of(pods.get(1), pods.get(0));

        List<String> toRemove = pool.workersToRemove(0);

        assertThat(toRemove).containsExactly(pods.get(2), pods.get(1), pods.get(0));
        assertThat(podNames()).as("asking removes nothing").hasSize(3);
    }

    /** A scheduler in memory: workers are named after their pods, as the model arranges. */
    private final class FakeScheduler implements SchedulerClient {
        final Map<String, DaskWorker> registered = new LinkedHashMap<>();
        final List<String> retired = new ArrayList<>();
        final List<Integer> closeQuestions = new ArrayList<>();
        final List<String> podsPresentAtRetire = new ArrayList<>();
        List<String> closeOrder = List.of();

        /** One address per pod, never shared (a hash of the name could collide). */
        static String address(String pod) {
            return "tcp://" + pod + ".workers.test:40000";
        }

        void register(String pod) {
            registered.put(address(pod), DaskWorker.named(address(pod), pod));
        }

        @Override
        public SchedulerInfo identity() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DaskWorker> workers() {
            return List.copyOf(registered.values());
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
        public List<String> workersToClose(int n) {
            closeQuestions.add(n);
            return closeOrder.stream()
                    .map(FakeScheduler::address)
                    .filter(registered::containsKey)
                    .limit(n)
                    .toList();
        }

        @Override
        public Map<String, DaskWorker> retireWorkers(Collection<String> addresses) {
            podsPresentAtRetire.addAll(podNames());
            retired.addAll(addresses);
            Map<String, DaskWorker> gone = new LinkedHashMap<>();
            addresses.forEach(a -> gone.put(a, registered.remove(a)));
            return gone;
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
