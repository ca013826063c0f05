package io.daskkubernetes.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts how long each cluster's scheduler has been idle, from what it answers each time it is
 * asked, and says when {@code spec.idleTimeout} has passed. Idle since the first answer that was
 * idle with only idle answers since; any other answer (work, a client, no answer) starts again. The
 * count lives in memory: an operator that restarts starts it again, which only ever keeps a cluster
 * longer.
 */
final class IdleTimeout {

    /**
     * What to do: delete now, or ask again after {@code recheck}; {@code becameIdle} on the first
     * idle answer of a run.
     */
    record Verdict(boolean expired, Duration idleFor, Duration recheck, boolean becameIdle) {}

    private final Map<String, Instant> idleSince = new ConcurrentHashMap<>();

    /**
     * @param cluster the cluster's uid
     * @param timeout {@code spec.idleTimeout}, more than zero
     * @param idle whether the scheduler answered idle now; false when it is busy or did not answer
     */
    Verdict observe(String cluster, Duration timeout, boolean idle, Instant now) {
        Duration poll = pollInterval(timeout);
        if (!idle) {
            idleSince.remove(cluster);
            return new Verdict(false, Duration.ZERO, poll, false);
        }
        boolean first = !idleSince.containsKey(cluster);
        Instant since = idleSince.computeIfAbsent(cluster, c -> now);
        Duration idleFor = Duration.between(since, now);
        if (idleFor.compareTo(timeout) >= 0) {
            idleSince.remove(cluster);
            return new Verdict(true, idleFor, Duration.ZERO, first);
        }
        Duration left = timeout.minus(idleFor);
        return new Verdict(false, idleFor, left.compareTo(poll) < 0 ? left : poll, first);
    }

    /** Forgets a cluster (deleted, or its timeout switched off). */
    void forget(String cluster) {
        idleSince.remove(cluster);
    }

    /** A quarter of the timeout, between 1 and 10 s: late by at most that much. */
    static Duration pollInterval(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        if (quarter.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return quarter.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : quarter;
    }
}
