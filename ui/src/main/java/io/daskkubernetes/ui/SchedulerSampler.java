package io.daskkubernetes.ui;

import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerClients;
import io.daskkubernetes.scheduler.SchedulerInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every cluster's scheduler once per interval what it has and what it wants, however many
 * browsers are open: pages read the latest sample, never the scheduler. A cluster whose previous
 * sample is still running is skipped in that round, so no scheduler is asked twice in one interval.
 * Each round also adds one point to every cluster's history.
 */
final class SchedulerSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerSampler.class);
    private static final Duration RECONSIDER_TCP = Duration.ofSeconds(10);

    private final FleetInformers fleet;
    private final ClusterFacts facts;
    private final ClusterHistory history;
    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService clock;
    private final ExecutorService askers;
    private final HttpClient http;
    private final Map<ClusterKey, SampledScheduler> schedulers = new ConcurrentHashMap<>();
    private final Map<ClusterKey, SchedulerSample> latest = new ConcurrentHashMap<>();
    private final Set<ClusterKey> inFlight = ConcurrentHashMap.newKeySet();

    SchedulerSampler(
            FleetInformers fleet, ClusterFacts facts, ClusterHistory history, Duration interval) {
        this.fleet = fleet;
        this.facts = facts;
        this.history = history;
        this.interval = interval;
        // A question must end within the interval; the next round would skip it otherwise.
        this.timeout = Duration.ofMillis(Math.max(500, interval.toMillis() * 3 / 4));
        this.clock =
                Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "console-sampler-clock"));
        this.askers = Executors.newFixedThreadPool(8, r -> daemon(r, "console-sampler"));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    void start() {
        clock.scheduleAtFixedRate(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    Optional<SchedulerSample> latest(ClusterKey key) {
        return Optional.ofNullable(latest.get(key));
    }

    Duration interval() {
        return interval;
    }

    private void round() {
        try {
            Instant now = Instant.now();
            List<ClusterKey> clusters = fleet.clusters();
            forgetAllBut(new HashSet<>(clusters));
            for (ClusterKey key : clusters) {
                if (inFlight.add(key)) {
                    askers.execute(
                            () -> {
                                try {
                                    sample(key, now);
                                } finally {
                                    inFlight.remove(key);
                                }
                            });
                } else {
                    log.debug("{}: the previous sample still runs; skipped this round", key);
                }
            }
        } catch (RuntimeException e) {
            // A round that fails must not end the schedule (scheduleAtFixedRate would stop).
            log.warn("Sampling round failed: {}", e.toString(), e);
        }
    }

    private void forgetAllBut(Set<ClusterKey> live) {
        history.retainOnly(live);
        latest.keySet().retainAll(live);
        schedulers
                .entrySet()
                .removeIf(
                        entry -> {
                            if (live.contains(entry.getKey())) {
                                return false;
                            }
                            entry.getValue().close();
                            return true;
                        });
    }

    private void sample(ClusterKey key, Instant at) {
        SchedulerSample sample = ask(key, at);
        latest.put(key, sample);
        history.add(
                key,
                new ClusterHistory.Point(
                        at,
                        facts.desired(key),
                        facts.liveWorkerPods(key),
                        sample.answered() ? sample.workers().size() : null,
                        sample.backlog(),
                        sample.adaptiveTarget()));
    }

    private SchedulerSample ask(ClusterKey key, Instant at) {
        Optional<ClusterFacts.SchedulerAddress> address = facts.schedulerAddress(key);
        if (address.isEmpty()) {
            return SchedulerSample.unreachable(
                    at, null, "its scheduler Service has no address reachable from here yet");
        }
        SampledScheduler scheduler =
                schedulers.compute(
                        key,
                        (k, known) -> {
                            if (known != null && known.address.equals(address.get())) {
                                return known;
                            }
                            if (known != null) {
                                known.close();
                            }
                            return new SampledScheduler(address.get());
                        });
        try {
            return scheduler.sample(at);
        } catch (RuntimeException e) {
            scheduler.close();
            return SchedulerSample.unreachable(at, address.get().comm(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SchedulerSample.unreachable(at, address.get().comm(), "interrupted");
        } catch (java.io.IOException e) {
            return SchedulerSample.unreachable(at, address.get().comm(), e.toString());
        }
    }

    /**
     * One scheduler and the client that asks it, connected on first use. Dask's TCP protocol is
     * chosen when the HTTP API does not answer; a scheduler that is still starting may answer TCP
     * first, so that choice is reconsidered after {@link #RECONSIDER_TCP} (only HTTP tells the
     * backlog).
     */
    private final class SampledScheduler {
        final ClusterFacts.SchedulerAddress address;
        private SchedulerClient client;
        private Instant reconsiderAt;

        SampledScheduler(ClusterFacts.SchedulerAddress address) {
            this.address = address;
        }

        synchronized SchedulerSample sample(Instant at)
                throws java.io.IOException, InterruptedException {
            if (client != null && reconsiderAt != null && at.isAfter(reconsiderAt)) {
                close();
            }
            if (client == null) {
                client =
                        SchedulerClients.connect(
                                address.comm(), URI.create(address.dashboard()), timeout);
                reconsiderAt =
                        "http".equals(client.transportName()) ? null : at.plus(RECONSIDER_TCP);
            }
            SchedulerInfo identity = client.identity();
            if ("http".equals(client.transportName())) {
                SchedulerCounts.Counts counts =
                        new SchedulerCounts(http, timeout).read(address.dashboard());
                return new SchedulerSample(
                        at,
                        address.comm(),
                        null,
                        identity.workers(),
                        counts.desiredWorkers(),
                        counts.backlog());
            }
            return new SchedulerSample(
                    at, address.comm(), null, identity.workers(), client.adaptiveTarget(), null);
        }

        synchronized void close() {
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
        askers.shutdownNow();
        schedulers.values().forEach(SampledScheduler::close);
        schedulers.clear();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
