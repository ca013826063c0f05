package io.daskkubernetes.ui;

import io.daskkubernetes.scheduler.DaskWorker;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds what the pages show from the informers' caches, the latest scheduler samples and the
 * history: no call to Kubernetes or to a scheduler happens here.
 */
final class FleetView {

    private final FleetInformers fleet;
    private final ClusterFacts facts;
    private final SchedulerSampler sampler;
    private final ClusterHistory history;
    private final boolean allowScaling;

    FleetView(
            FleetInformers fleet,
            ClusterFacts facts,
            SchedulerSampler sampler,
            ClusterHistory history,
            boolean allowScaling) {
        this.fleet = fleet;
        this.facts = facts;
        this.sampler = sampler;
        this.history = history;
        this.allowScaling = allowScaling;
    }

    long samplingMillis() {
        return sampler.interval().toMillis();
    }

    ConsoleViews.Fleet fleet() {
        List<ConsoleViews.ClusterRow> rows = new ArrayList<>();
        for (ClusterKey key : fleet.clusters()) {
            rows.add(row(key));
        }
        return new ConsoleViews.Fleet(allowScaling, sampler.interval().toMillis(), rows);
    }

    Optional<ConsoleViews.ClusterDetail> detail(ClusterKey key) {
        if (!fleet.clusters().contains(key)) {
            return Optional.empty();
        }
        ConsoleViews.ClusterRow row = row(key);
        boolean adapting = row.adaptMinimum() != null;
        String note = null;
        if (!allowScaling) {
            note = "read-only: start the console with --allow-scaling to scale from here";
        } else if (adapting && key.classic()) {
            note =
                    "adapts in the process that started it; scale or adapt it there (a scale"
                            + " from here would be undone by its adaptive loop)";
        }
        return Optional.of(
                new ConsoleViews.ClusterDetail(
                        row,
                        workers(key, row),
                        events(key),
                        decisions(key),
                        chart(key),
                        allowScaling && !(adapting && key.classic()),
                        allowScaling && !key.classic(),
                        note));
    }

    private ConsoleViews.ClusterRow row(ClusterKey key) {
        Optional<SchedulerSample> sample = sampler.latest(key);
        List<Pod> workerPods = facts.workerPods(key);
        int live = (int) workerPods.stream().filter(ClusterFacts::live).count();
        Integer desired = facts.desired(key);
        Optional<int[]> bounds = facts.adaptiveBounds(key);
        Optional<Pod> schedulerPod = facts.schedulerPod(key);
        return new ConsoleViews.ClusterRow(
                key.kind(),
                key.namespace(),
                key.name(),
                phase(key, schedulerPod, sample),
                sample.filter(SchedulerSample::answered).map(s -> s.workers().size()).orElse(null),
                live,
                desired,
                bounds.map(b -> b[0]).orElse(null),
                bounds.map(b -> b[1]).orElse(null),
                created(key).map(c -> Duration.between(c, Instant.now()).toSeconds()).orElse(null),
                sample.map(SchedulerSample::address)
                        .orElse(facts.schedulerAddress(key).map(a -> a.comm()).orElse(null)),
                sample.map(SchedulerSample::reachedBy).orElse(null),
                ClusterProblems.of(key, workerPods, schedulerPod, desired, live, sample));
    }

    private String phase(ClusterKey key, Optional<Pod> schedulerPod, Optional<SchedulerSample> s) {
        if (!key.classic()) {
            return fleet.daskCluster(key)
                    .map(c -> c.getStatus() == null ? null : c.getStatus().getPhase())
                    .orElse("Created");
        }
        if (schedulerPod.isPresent()) {
            return ClusterFacts.phase(schedulerPod.get());
        }
        return s.map(sample -> sample.answered() ? "Running" : "Unreachable").orElse("Pending");
    }

    private Optional<Instant> created(ClusterKey key) {
        String timestamp =
                key.classic()
                        ? fleet.owner(key)
                                .map(o -> o.getMetadata().getCreationTimestamp())
                                .orElse(null)
                        : fleet.daskCluster(key)
                                .map(c -> c.getMetadata().getCreationTimestamp())
                                .orElse(null);
        return Optional.ofNullable(timestamp).map(Instant::parse);
    }

    private List<ConsoleViews.WorkerRow> workers(ClusterKey key, ConsoleViews.ClusterRow row) {
        Map<String, DaskWorker> byName = new LinkedHashMap<>();
        sampler.latest(key).ifPresent(s -> s.workers().forEach(w -> byName.put(w.name(), w)));
        List<ConsoleViews.WorkerRow> rows = new ArrayList<>();
        for (Pod pod : facts.workerPods(key)) {
            String name = pod.getMetadata().getName();
            DaskWorker worker = byName.remove(name);
            String note =
                    ClusterProblems.replaced(pod, row.desired(), row.pods())
                            ? "replaced"
                            : ClusterProblems.failure(pod)
                                    .filter(f -> !ClusterFacts.live(pod))
                                    .orElse(null);
            rows.add(
                    new ConsoleViews.WorkerRow(
                            name,
                            ClusterFacts.phase(pod),
                            ClusterProblems.restarts(pod),
                            note,
                            worker == null ? null : worker.status(),
                            worker == null ? null : worker.address(),
                            worker == null ? 0 : worker.managedBytes(),
                            worker == null ? 0 : worker.memoryLimit(),
                            worker == null ? 0 : processing(worker)));
        }
        for (DaskWorker worker : byName.values()) {
            rows.add(
                    new ConsoleViews.WorkerRow(
                            null,
                            null,
                            0,
                            "no pod",
                            worker.status(),
                            worker.address(),
                            worker.managedBytes(),
                            worker.memoryLimit(),
                            processing(worker)));
        }
        return rows;
    }

    /**
     * The decisions, an adaptive one with what the scheduler wanted at the first sample from its
     * time on: the load it answered (the sample before it may predate the load).
     */
    private List<ConsoleViews.DecisionRow> decisions(ClusterKey key) {
        List<ClusterHistory.Point> points = history.points(key);
        List<ConsoleViews.DecisionRow> rows = new ArrayList<>();
        for (ClusterHistory.Decision decision : history.decisions(key)) {
            String text = decision.text();
            if (decision.adaptive()) {
                Optional<Integer> wanted =
                        points.stream()
                                .filter(p -> !p.at().isBefore(decision.at()) && p.wanted() != null)
                                .map(ClusterHistory.Point::wanted)
                                .findFirst();
                if (wanted.isPresent()) {
                    text += " (the scheduler wanted " + wanted.get() + " then)";
                }
            }
            rows.add(new ConsoleViews.DecisionRow(decision.at().toString(), text));
        }
        return rows;
    }

    private static int processing(DaskWorker worker) {
        Map<String, Integer> counts = worker.taskCounts();
        return worker.tasksExecuting()
                + counts.getOrDefault("ready", 0)
                + counts.getOrDefault("waiting", 0)
                + counts.getOrDefault("constrained", 0);
    }

    private List<ConsoleViews.EventRow> events(ClusterKey key) {
        return fleet.events(key).stream()
                .sorted(Comparator.comparing(FleetView::eventTime))
                .map(
                        e ->
                                new ConsoleViews.EventRow(
                                        eventTime(e),
                                        e.getType(),
                                        e.getReason(),
                                        e.getInvolvedObject().getKind()
                                                + "/"
                                                + e.getInvolvedObject().getName(),
                                        e.getMessage(),
                                        e.getCount() == null ? 1 : e.getCount()))
                .toList();
    }

    private static String eventTime(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        return e.getMetadata().getCreationTimestamp() == null
                ? ""
                : e.getMetadata().getCreationTimestamp();
    }

    private ConsoleViews.History chart(ClusterKey key) {
        List<ClusterHistory.Point> points = history.points(key);
        List<Double> t = new ArrayList<>();
        List<Integer> desired = new ArrayList<>();
        List<Integer> pods = new ArrayList<>();
        List<Integer> registered = new ArrayList<>();
        List<Integer> backlog = new ArrayList<>();
        for (ClusterHistory.Point p : points) {
            t.add(p.at().toEpochMilli() / 1000.0);
            desired.add(p.desired());
            pods.add(p.pods());
            registered.add(p.registered());
            backlog.add(p.backlog());
        }
        return new ConsoleViews.History(t, desired, pods, registered, backlog);
    }
}
