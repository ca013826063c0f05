package io.daskkubernetes.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on our resources, saying what the operator did and why ({@code kubectl describe
 * daskcluster simple}). An Event that cannot be written is logged, never fatal: the work it reports
 * is done.
 */
final class OperatorEvents {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorEvents.class);
    static final String COMPONENT = "dask-operator";

    private OperatorEvents() {}

    static void normal(KubernetesClient client, HasMetadata about, String reason, String message) {
        record(client, about, "Normal", reason, message);
    }

    static void warning(KubernetesClient client, HasMetadata about, String reason, String message) {
        record(client, about, "Warning", reason, message);
    }

    private static void record(
            KubernetesClient client,
            HasMetadata about,
            String type,
            String reason,
            String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event =
                new EventBuilder()
                        .withNewMetadata()
                        .withGenerateName(about.getMetadata().getName() + ".")
                        .withNamespace(about.getMetadata().getNamespace())
                        .endMetadata()
                        .withInvolvedObject(
                                new ObjectReferenceBuilder()
                                        .withApiVersion(about.getApiVersion())
                                        .withKind(about.getKind())
                                        .withName(about.getMetadata().getName())
                                        .withNamespace(about.getMetadata().getNamespace())
                                        .withUid(about.getMetadata().getUid())
                                        .build())
                        .withType(type)
                        .withReason(reason)
                        .withMessage(message)
                        .withCount(1)
                        .withFirstTimestamp(now)
                        .withLastTimestamp(now)
                        .withNewSource()
                        .withComponent(COMPONENT)
                        .endSource()
                        .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(about.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "could not record the Event {} on {} {}: {}",
                    reason,
                    about.getKind(),
                    about.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
