package io.daskkubernetes.local.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The watches of the API server: every change goes into the {@link WatchHistory} and to the live
 * watches. A watch that starts from a resourceVersion first gets the history after it, then live
 * changes; because changes are published and watches started under the store's lock, nothing falls
 * between the two and nothing comes twice.
 */
final class Watches {

    private final WatchHistory history;
    private final Set<WatchSubscription> live = new LinkedHashSet<>();

    Watches(WatchHistory history) {
        this.history = history;
    }

    /** Called under the store's lock, in the order of the changes. */
    synchronized void publish(ResourceChange change) {
        history.record(change);
        for (WatchSubscription watch : List.copyOf(live)) {
            watch.send(change);
        }
    }

    /**
     * Called under the store's lock, so that no change happens while a watch catches up.
     *
     * @param currentObjects the JSON of the objects the watch selects now, for watches from now
     */
    synchronized void start(WatchSubscription watch, Supplier<List<String>> currentObjects) {
        if (watch.ended()) {
            // The client went away before its watch started.
            return;
        }
        WatchRequest request = watch.request();
        if (request.resumeAfter().isPresent()) {
            Optional<List<ResourceChange>> missed =
                    history.since(request.type(), request.resumeAfter().getAsLong());
            if (missed.isEmpty()) {
                watch.expire(history.oldestResumable(request.type()));
                return;
            }
            missed.get().forEach(watch::send);
        } else {
            currentObjects.get().forEach(json -> watch.send("ADDED", json));
        }
        // A watch ends before it calls stop, which waits for this method: either it ended already
        // and is not
        // added, or stop removes it afterwards.
        if (!watch.ended()) {
            live.add(watch);
        }
    }

    synchronized void stop(WatchSubscription watch) {
        live.remove(watch);
    }
}
