package io.daskkubernetes.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.model.adapt.AdaptiveDecision;
import io.daskkubernetes.model.adapt.AdaptiveOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdaptiveLoopTest {

    private static final AdaptiveOptions FAST =
            AdaptiveOptions.of(1, 5).withInterval(Duration.ofMillis(20));

    /** A cluster in memory whose scheduler wants whatever the test says. */
    private static final class FakeCluster implements AdaptiveCluster {
        final AtomicInteger wanted = new AtomicInteger();
        final List<String> pods = new CopyOnWriteArrayList<>();
        final List<List<String>> removals = new CopyOnWriteArrayList<>();
        final AtomicInteger rounds = new AtomicInteger();
        volatile boolean schedulerDown;

        @Override
        public int schedulerTarget(Duration targetDuration) {
            rounds.incrementAndGet();
            if (schedulerDown) {
                throw new IllegalStateException("connection refused");
            }
            return wanted.get();
        }

        @Override
        public int plannedWorkers() {
            return pods.size();
        }

        @Override
        public List<String> workersToRemove(int target) {
            return new ArrayList<>(pods.subList(target, pods.size()));
        }

        @Override
        public void scaleUpTo(int workers) {
            while (pods.size() < workers) {
                pods.add("w-" + pods.size());
            }
        }

        @Override
        public void removeWorkers(List<String> podNames) {
            removals.add(List.copyOf(podNames));
            pods.removeAll(podNames);
        }
    }

    @Test
    void growsWithTheSchedulerTargetAndShrinksBackToTheMinimum() {
        FakeCluster cluster = new FakeCluster();
        cluster.wanted.set(4);
        try (AdaptiveLoop loop = AdaptiveLoop.start(FAST, cluster, "test")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.pods.size() == 4);
            cluster.wanted.set(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.pods.size() == 1);
            assertThat(cluster.removals).containsExactly(List.of("w-1", "w-2", "w-3"));
            assertThat(loop.scaleDecisions())
                    .containsExactly(
                            new AdaptiveDecision.ScaleUp(4),
                            new AdaptiveDecision.ScaleDown(List.of("w-1", "w-2", "w-3")));
            // The down decision came exactly waitCount rounds after the scheduler first wanted
            // fewer.
            List<AdaptiveRound> wantingFewer =
                    loop.rounds().stream().filter(r -> r.schedulerTarget() == 0).toList();
            assertThat(wantingFewer.get(2).decision())
                    .isInstanceOf(AdaptiveDecision.ScaleDown.class);
            assertThat(wantingFewer.get(0).decision()).isInstanceOf(AdaptiveDecision.Hold.class);
        }
    }

    @Test
    void keepsTheWorkersAndKeepsGoingWhileTheSchedulerIsUnreachable() {
        FakeCluster cluster = new FakeCluster();
        cluster.wanted.set(3);
        try (AdaptiveLoop loop = AdaptiveLoop.start(FAST, cluster, "test")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.pods.size() == 3);
            cluster.schedulerDown = true;
            int roundsBefore = cluster.rounds.get();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> cluster.rounds.get() >= roundsBefore + 10);
            assertThat(cluster.pods).hasSize(3);
            cluster.schedulerDown = false;
            cluster.wanted.set(5);
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.pods.size() == 5);
        }
    }

    @Test
    void stopsDecidingWhenClosed() {
        FakeCluster cluster = new FakeCluster();
        AdaptiveLoop loop = AdaptiveLoop.start(FAST, cluster, "test");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.rounds.get() >= 2);
        loop.close();
        int roundsAtClose = cluster.rounds.get();
        cluster.wanted.set(5);
        // Give a running loop several intervals' worth of chances to act, then check none was
        // taken.
        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> true);
        assertThat(cluster.rounds.get()).isEqualTo(roundsAtClose);
        assertThat(cluster.pods).hasSize(1);
    }
}
