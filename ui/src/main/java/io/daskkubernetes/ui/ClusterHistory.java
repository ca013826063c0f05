package io.daskkubernetes.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each cluster looked like over the last hour (one point per sampling round) and the scaling
 * decisions seen, newest last. Shared by every page view; the sampler writes it.
 */
final class ClusterHistory {

    static final Duration KEPT = Duration.ofHours(1);
    private static final int DECISIONS_KEPT = 200;

    private final Map<ClusterKey, Deque<Point>> points = new ConcurrentHashMap<>();
    private final Map<ClusterKey, Deque<Decision>> decisions = new ConcurrentHashMap<>();

    /**
     * One sampling round's counts; null where unknown.
     *
     * @param backlog unfinished tasks on the scheduler
     * @param wanted the scheduler's adaptive target: the workers it would like for its load
     */
    record Point(
            Instant at,
            Integer desired,
            int pods,
            Integer registered,
            Integer backlog,
            Integer wanted) {}

    /**
     * A change of the desired worker count and why it was made.
     *
     * @param adaptive whether an adaptive loop or autoscaler made it (then what the scheduler
     *     wanted is its reason)
     */
    record Decision(Instant at, String text, boolean adaptive) {}

    void add(ClusterKey key, Point point) {
        Deque<Point> deque = points.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(point);
            Instant oldest = point.at().minus(KEPT);
            while (!deque.isEmpty() && deque.peekFirst().at().isBefore(oldest)) {
                deque.removeFirst();
            }
        }
    }

    void decided(ClusterKey key, Decision decision) {
        Deque<Decision> deque = decisions.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(decision);
            while (deque.size() > DECISIONS_KEPT) {
                deque.removeFirst();
            }
        }
    }

    List<Point> points(ClusterKey key) {
        Deque<Point> deque = points.get(key);
        if (deque == null) {
            return List.of();
        }
        synchronized (deque) {
            return new ArrayList<>(deque);
        }
    }

    List<Decision> decisions(ClusterKey key) {
        Deque<Decision> deque = decisions.get(key);
        if (deque == null) {
            return List.of();
        }
        synchronized (deque) {
            return new ArrayList<>(deque);
        }
    }

    /** Forgets clusters that no longer exist. */
    void retainOnly(java.util.Collection<ClusterKey> live) {
        points.keySet().retainAll(live);
        decisions.keySet().retainAll(live);
    }
}
