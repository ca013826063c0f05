package io.daskkubernetes.local.controllers;

import io.daskkubernetes.local.api.ObjectStore.StoredObject;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector of kube-controller-manager, background propagation: an object whose owners
 * (ownerReferences, by uid) are all gone is deleted, and so on down the chain; when a Namespace is
 * deleted, everything in it goes too. It scans the whole store after every deletion and every
 * second.
 */
public final class GarbageCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    private static final long PERIOD_MILLIS = 1000;

    private final Supplier<List<StoredObject>> objects;
    private final Consumer<String> deleteByPath;
    private final ScheduledExecutorService worker =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread thread = new Thread(r, "garbage-collector");
                        thread.setDaemon(true);
                        return thread;
                    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private Set<String> knownNamespaces = new HashSet<>();

    /**
     * @param objects every stored object
     * @param deleteByPath deletes through the API server (so pods terminate gracefully)
     */
    public GarbageCollector(Supplier<List<StoredObject>> objects, Consumer<String> deleteByPath) {
        this.objects = objects;
        this.deleteByPath = deleteByPath;
    }

    public void start() {
        worker.scheduleWithFixedDelay(
                this::collectSafely, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Asks for a pass soon (after a deletion). */
    public void deletionHappened() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.execute(
                        () -> {
                            scheduled.set(false);
                            collectSafely();
                        });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // The runtime is closing: its own teardown removes everything that is left.
                LOG.debug("no garbage collection pass: the runtime is closing");
            }
        }
    }

    private void collectSafely() {
        try {
            collect();
        } catch (RuntimeException e) {
            LOG.warn("garbage collection pass failed; the next one retries", e);
        }
    }

    private void collect() {
        List<StoredObject> all = objects.get();
        Set<String> uids = new HashSet<>();
        Set<String> namespaces = new HashSet<>();
        for (StoredObject stored : all) {
            uids.add(stored.object().getMetadata().getUid());
            if ("Namespace".equals(stored.object().getKind())) {
                namespaces.add(stored.object().getMetadata().getName());
            }
        }
        Set<String> deletedNamespaces = new HashSet<>(knownNamespaces);
        deletedNamespaces.removeAll(namespaces);
        knownNamespaces = namespaces;
        for (StoredObject stored : all) {
            var metadata = stored.object().getMetadata();
            if (metadata.getDeletionTimestamp() != null) {
                continue;
            }
            List<OwnerReference> owners = metadata.getOwnerReferences();
            boolean orphaned =
                    owners != null
                            && !owners.isEmpty()
                            && owners.stream().noneMatch(owner -> uids.contains(owner.getUid()));
            // Objects can only be created in a namespace that exists, so an object whose namespace
            // is missing lost it, even one created and deleted between two passes.
            boolean namespaceGone =
                    metadata.getNamespace() != null
                            && (deletedNamespaces.contains(metadata.getNamespace())
                                    || !namespaces.contains(metadata.getNamespace()));
            if (orphaned || namespaceGone) {
                LOG.debug(
                        "deleting {} {}/{}: {}",
                        stored.object().getKind(),
                        metadata.getNamespace(),
                        metadata.getName(),
                        orphaned ? "its owners are gone" : "its namespace is gone");
                deleteByPath.accept(stored.path());
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
