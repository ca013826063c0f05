package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Graceful pod deletion as the API server does it (the mock deletes at once): a DELETE marks the
 * pod with {@code deletionTimestamp} = now + grace period and leaves it in place; the kubelet sees
 * the change, stops the containers (SIGTERM, then SIGKILL when the grace period ends) and then
 * deletes the pod with grace period 0, which removes it. Pods that never ran, finished pods and
 * grace period 0 go at once. Collection deletes come here one pod at a time (see {@link
 * CollectionRequests}).
 */
public final class PodDeletion {

    private static final long DEFAULT_GRACE_SECONDS = 30;

    private final ObjectStore store;
    private final Clock clock;

    public PodDeletion(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** DELETE of one pod, with the grace period the request asks for (else the pod's). */
    public MockResponse delete(ApiPath path, Optional<Long> requestedGrace) {
        return deleteOne(path.objectPath(), path.name(), requestedGrace);
    }

    private MockResponse deleteOne(String objectPath, String name, Optional<Long> requestedGrace) {
        return store.atomically(
                () -> {
                    Optional<Pod> found = store.get(objectPath, Pod.class);
                    if (found.isEmpty()) {
                        return ApiResponses.notFound("pods", name);
                    }
                    Pod pod = found.get();
                    long grace =
                            requestedGrace.orElseGet(
                                    () ->
                                            Optional.ofNullable(
                                                            pod.getSpec()
                                                                    .getTerminationGracePeriodSeconds())
                                                    .orElse(DEFAULT_GRACE_SECONDS));
                    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                    boolean neverRan =
                            pod.getSpec().getNodeName() == null
                                    || pod.getSpec().getNodeName().isEmpty();
                    boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
                    if (grace <= 0 || neverRan || finished) {
                        MockResponse removed = store.delete(objectPath);
                        return ApiResponses.isSuccess(removed)
                                ? ApiResponses.json(200, pod)
                                : removed;
                    }
                    Instant deadline =
                            clock.instant().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS);
                    String existingDeadline = pod.getMetadata().getDeletionTimestamp();
                    if (existingDeadline != null
                            && !Instant.parse(existingDeadline).isAfter(deadline)) {
                        // Already terminating with an earlier or equal deadline: a second DELETE
                        // never extends it.
                        return ApiResponses.json(200, pod);
                    }
                    JsonNode terminating = Serialization.jsonMapper().valueToTree(pod);
                    ((ObjectNode) terminating.get("metadata"))
                            .put(
                                    "deletionTimestamp",
                                    DateTimeFormatter.ISO_INSTANT.format(deadline))
                            .put("deletionGracePeriodSeconds", grace);
                    return store.replaceInPlace(objectPath, terminating)
                            .map(json -> ApiResponses.json(200, json))
                            .orElseGet(() -> ApiResponses.notFound("pods", name));
                });
    }
}
