package io.daskkubernetes.operator;

import io.daskkubernetes.operator.api.ReplicaStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Sets a status condition, keeping its transition time while its status does not change. */
final class Conditions {

    private Conditions() {}

    static void set(
            ReplicaStatus status, String type, boolean value, String reason, String message) {
        String text = value ? "True" : "False";
        Condition existing =
                status.getConditions().stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst()
                        .orElse(null);
        String since =
                existing != null && text.equals(existing.getStatus())
                        ? existing.getLastTransitionTime()
                        : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        status.getConditions().removeIf(c -> type.equals(c.getType()));
        status.getConditions()
                .add(
                        new ConditionBuilder()
                                .withType(type)
                                .withStatus(text)
                                .withReason(reason)
                                .withMessage(message)
                                .withLastTransitionTime(since)
                                .build());
    }

    static boolean isTrue(ReplicaStatus status, String type) {
        return status != null
                && status.getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
