package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;

/**
 * The scheduler's Service and PodDisruptionBudget templates ({@code
 * kubernetes.scheduler-service-template}, {@code kubernetes.scheduler-pdb-template}) read from
 * nested maps, as classic's {@code make_service_from_dict} and {@code make_pdb_from_dict} did.
 */
public final class ObjectTemplates {

    private ObjectTemplates() {}

    public static Service service(Map<String, Object> map, String sourceName) {
        return convert(map, Service.class, "Service", sourceName);
    }

    public static PodDisruptionBudget podDisruptionBudget(
            Map<String, Object> map, String sourceName) {
        return convert(map, PodDisruptionBudget.class, "PodDisruptionBudget", sourceName);
    }

    private static <T> T convert(
            Map<String, Object> map, Class<T> type, String kind, String sourceName) {
        try {
            T object = KubernetesJson.SERIALIZATION.convertValue(map, type);
            return object != null
                    ? object
                    : KubernetesJson.SERIALIZATION.convertValue(Map.of(), type);
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    sourceName,
                    "(template)",
                    "cannot be read as a " + kind + ": " + e.getMessage(),
                    "compare it with the " + kind + " reference of Kubernetes",
                    e);
        }
    }
}
