package io.daskkubernetes.local.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events, as client-go's event recorder does for the kubelet and the controllers:
 * one Event per (object, reason, message), whose count and lastTimestamp go up when it happens
 * again, so that {@code kubectl events} and {@code kubectl describe} show what happened, "x5 over
 * 2m" included. Writes happen in order on a thread of their own; a failed write is logged, never
 * thrown, because an event is worth less than the work it describes.
 */
public final class EventRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int REMEMBERED = 4096;

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private final KubernetesClient client;
    private final String component;
    private final String host;
    private final AtomicLong sequence = new AtomicLong(System.nanoTime());
    private final ExecutorService writer;

    /** Events already written, by what makes two the same; oldest first. */
    private final Map<String, Event> recent =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
                    return size() > REMEMBERED;
                }
            };

    /**
     * @param component who reports: "kubelet", "default-scheduler", "deployment-controller"...
     * @param host the node, for the kubelet; null for controllers
     */
    public EventRecorder(KubernetesClient client, String component, String host) {
        this.client = client;
        this.component = component;
        this.host = host;
        this.writer =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread thread = new Thread(r, "events-" + component);
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /** An event about a whole object. */
    public void record(HasMetadata object, String type, String reason, String message) {
        record(reference(object, null), type, reason, message);
    }

    /** An event about a part of an object, such as {@code spec.containers{main}} of a pod. */
    public void record(
            HasMetadata object, String fieldPath, String type, String reason, String message) {
        record(reference(object, fieldPath), type, reason, message);
    }

    public void record(ObjectReference involved, String type, String reason, String message) {
        Instant now = Instant.now();
        try {
            writer.execute(() -> write(involved, type, reason, message, now));
        } catch (RejectedExecutionException closing) {
            LOG.debug("event {} {} not recorded: closing", reason, involved.getName());
        }
    }

    public static ObjectReference reference(HasMetadata object, String fieldPath) {
        return new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid())
                .withFieldPath(fieldPath)
                .build();
    }

    private void write(
            ObjectReference involved, String type, String reason, String message, Instant when) {
        String namespace = involved.getNamespace() == null ? "default" : involved.getNamespace();
        String key =
                String.join(
                        "\u0000",
                        namespace,
                        String.valueOf(involved.getKind()),
                        String.valueOf(involved.getName()),
                        String.valueOf(involved.getUid()),
                        String.valueOf(involved.getFieldPath()),
                        type,
                        reason,
                        message);
        String timestamp = when.truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            Event previous = recent.get(key);
            if (previous != null) {
                int count = previous.getCount() == null ? 2 : previous.getCount() + 1;
                Event updated =
                        client.v1()
                                .events()
                                .inNamespace(namespace)
                                .withName(previous.getMetadata().getName())
                                .patch(
                                        PatchContext.of(PatchType.JSON_MERGE),
                                        Serialization.asJson(
                                                Map.of(
                                                        "count",
                                                        count,
                                                        "lastTimestamp",
                                                        timestamp)));
                if (updated != null) {
                    recent.put(key, updated);
                    return;
                }
            }
            Event event =
                    new EventBuilder()
                            .withNewMetadata()
                            .withName(
                                    involved.getName()
                                            + "."
                                            + Long.toHexString(sequence.incrementAndGet()))
                            .withNamespace(namespace)
                            .endMetadata()
                            .withInvolvedObject(involved)
                            .withType(type)
                            .withReason(reason)
                            .withMessage(message)
                            .withNewSource()
                            .withComponent(component)
                            .withHost(host)
                            .endSource()
                            .withReportingComponent(component)
                            .withReportingInstance(host == null ? component : host)
                            .withFirstTimestamp(timestamp)
                            .withLastTimestamp(timestamp)
                            .withCount(1)
                            .build();
            recent.put(key, client.v1().events().inNamespace(namespace).resource(event).create());
        } catch (KubernetesClientException e) {
            if (e.getCause() instanceof java.io.InterruptedIOException) {
                LOG.debug("event {} not recorded: closing", reason);
            } else {
                LOG.debug("could not record event {} about {}", reason, involved.getName(), e);
                recent.remove(key);
            }
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(2, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }
}
