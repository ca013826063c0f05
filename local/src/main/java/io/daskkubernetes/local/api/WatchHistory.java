package io.daskkubernetes.local.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The most recent changes of each resource type, oldest first, so that a watch can start from a
 * resourceVersion in the past (the API server's watch cache). Bounded: a watch from before the
 * oldest change kept cannot be served and gets 410 Gone, after which clients list again. Not
 * thread-safe: the store calls it under its lock.
 */
final class WatchHistory {

    /** Enough for minutes of a busy local cluster; a pod's JSON is a few kilobytes. */
    static final int DEFAULT_CHANGES_PER_TYPE = 4096;

    private final int changesPerType;
    private final Map<ResourceType, Deque<ResourceChange>> changes = new HashMap<>();

    /** Per type, the resourceVersion of the newest change no longer kept (0: none was dropped). */
    private final Map<ResourceType, Long> forgottenUpTo = new HashMap<>();

    WatchHistory(int changesPerType) {
        if (changesPerType < 1) {
            throw new IllegalArgumentException(
                    "the watch history must keep at least one change per type");
        }
        this.changesPerType = changesPerType;
    }

    void record(ResourceChange change) {
        Deque<ResourceChange> ofType =
                changes.computeIfAbsent(change.type(), type -> new ArrayDeque<>());
        ofType.addLast(change);
        if (ofType.size() > changesPerType) {
            forgottenUpTo.put(change.type(), ofType.removeFirst().resourceVersion());
        }
    }

    /**
     * The changes of a type newer than {@code resourceVersion}, oldest first; empty when some of
     * them are no longer kept.
     */
    Optional<List<ResourceChange>> since(ResourceType type, long resourceVersion) {
        if (resourceVersion < forgottenUpTo.getOrDefault(type, 0L)) {
            return Optional.empty();
        }
        List<ResourceChange> newer = new ArrayList<>();
        for (ResourceChange change : changes.getOrDefault(type, new ArrayDeque<>())) {
            if (change.resourceVersion() > resourceVersion) {
                newer.add(change);
            }
        }
        return Optional.of(newer);
    }

    /** The oldest resourceVersion a watch of this type can start from, for the 410 message. */
    long oldestResumable(ResourceType type) {
        return forgottenUpTo.getOrDefault(type, 0L);
    }
}
