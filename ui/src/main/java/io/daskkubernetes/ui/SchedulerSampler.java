package io.daskkubernetes.ui;

import io.daskkubernetes.model.SchedulerPorts;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerClients;
import io.daskkubernetes.scheduler.SchedulerInfo;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.concurrent.atomic.AtomicInteger;
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
    private final KubernetesClient kubernetes;
    private final AddressReachability reachability;
    private final AtomicInteger forwards = new AtomicInteger();

    /**
     * @param kubernetes opens port-forwards to schedulers whose cluster IP does not route here
     * @param reachability tells whether a cluster IP routes here; asked once per address
     */
    SchedulerSampler(
            FleetInformers fleet,
            ClusterFacts facts,
            ClusterHistory history,
            Duration interval,
            KubernetesClient kubernetes,
            AddressReachability reachability) {
        this.fleet = fleet;
        this.kubernetes = kubernetes;
        this.reachability = reachability;
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
        Optional<Service> service = facts.schedulerService(key);
        SampledScheduler scheduler =
                schedulers.compute(
                        key,
                        (k, known) -> {
                            if (known != null && known.published.equals(address.get())) {
                                return known;
                            }
                            if (known != null) {
                                known.close();
                            }
                            return new SampledScheduler(address.get(), service.orElse(null));
                        });
        try {
            return scheduler.sample(at);
        } catch (RuntimeException e) {
            scheduler.reset(e.getMessage());
            return scheduler.unreachable(at, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return scheduler.unreachable(at, "interrupted");
        } catch (java.io.IOException e) {
            scheduler.reset(e.toString());
            return scheduler.unreachable(at, e.toString());
        }
    }

    /**
     * One scheduler, how it is reached and the client that asks it, connected on first use. Dask's
     * TCP protocol is chosen when the HTTP API does not answer; a scheduler that is still starting
     * may answer TCP first, so that choice is reconsidered after {@link #RECONSIDER_TCP} (only HTTP
     * tells the backlog).
     *
     * <p>A cluster IP is probed once, on first use: when it does not route here (the console runs
     * outside the cluster's network) the scheduler is reached through a port-forward to its
     * Service, kept until this scheduler is closed (its cluster went, its address changed, or the
     * console closes) and reopened after a failed sample (the scheduler pod may have been
     * replaced).
     */
    private final class SampledScheduler {
        /** The address the Service publishes, as the facts gave it. */
        final ClusterFacts.SchedulerAddress published;

        private final Service service;
        private Boolean publishedRoutesHere;
        private SchedulerForward forward;
        private ClusterFacts.SchedulerAddress used;
        private SchedulerClient client;
        private Instant reconsiderAt;
        private boolean closed;

        SampledScheduler(ClusterFacts.SchedulerAddress published, Service service) {
            this.published = published;
            this.service = service;
            this.used = published;
        }

        synchronized SchedulerSample sample(Instant at)
                throws java.io.IOException, InterruptedException {
            if (closed) {
                return unreachable(at, "no longer sampled");
            }
            ClusterFacts.SchedulerAddress address = route();
            if (client != null && reconsiderAt != null && at.isAfter(reconsiderAt)) {
                closeClient();
            }
            if (client == null) {
                client =
                        SchedulerClients.connect(
                                address.comm(),
                                address.dashboard() == null
                                        ? null
                                        : URI.create(address.dashboard()),
                                timeout);
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
                        counts.backlog(),
                        address.reachedBy());
            }
            return new SchedulerSample(
                    at,
                    address.comm(),
                    null,
                    identity.workers(),
                    client.adaptiveTarget(),
                    null,
                    address.reachedBy());
        }

        /** The address to ask: the published one, or a forward's when that does not route here. */
        private ClusterFacts.SchedulerAddress route() {
            if (!ClusterFacts.SchedulerAddress.CLUSTER_IP.equals(published.reachedBy())
                    || service == null) {
                return published;
            }
            if (publishedRoutesHere == null) {
                List<Integer> ports =
                        published.dashboard() == null
                                ? List.of(SchedulerPorts.COMM)
                                : List.of(SchedulerPorts.COMM, SchedulerPorts.DASHBOARD);
                publishedRoutesHere = reachability.routesHere(published.host(), ports, timeout);
                log.info(
                        "Scheduler {} {}",
                        published.comm(),
                        publishedRoutesHere
                                ? "routes here: sampled at its cluster IP"
                                : "does not route here: sampled through a port-forward");
            }
            if (publishedRoutesHere) {
                return published;
            }
            if (forward == null) {
                forward = SchedulerForward.open(kubernetes, service);
                forwards.incrementAndGet();
                used = forward.address();
            }
            return used;
        }

        /** Forgets the client and any forward after a failure; the next sample opens them again. */
        synchronized void reset(String problem) {
            if (forward != null) {
                log.debug(
                        "Sampling {} through its port-forward failed ({}); the next sample opens"
                                + " a new one",
                        published.comm(),
                        problem);
            }
            closeClient();
            closeForward();
        }

        SchedulerSample unreachable(Instant at, String problem) {
            ClusterFacts.SchedulerAddress address = currentAddress();
            return SchedulerSample.unreachable(at, address.comm(), problem, address.reachedBy());
        }

        private synchronized ClusterFacts.SchedulerAddress currentAddress() {
            return used;
        }

        synchronized void close() {
            closed = true;
            closeClient();
            closeForward();
        }

        private void closeClient() {
            if (client != null) {
                client.close();
                client = null;
            }
        }

        private void closeForward() {
            if (forward != null) {
                forward.close();
                forward = null;
                forwards.decrementAndGet();
            }
        }
    }

    /** Port-forwards open now, for tests: each holds a socket and a thread. */
    int openForwards() {
        return forwards.get();
    }

    @Override
    public void close() {
        clock.shutdownNow();
        askers.shutdownNow();
        try {
            // A sample still running could open a forward after the ones below are closed.
            if (!askers.awaitTermination(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                log.warn("A scheduler sample was still running as the console closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        schedulers.values().forEach(SampledScheduler::close);
        schedulers.clear();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
