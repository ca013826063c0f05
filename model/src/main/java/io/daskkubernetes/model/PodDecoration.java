package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the cluster overlays on every pod it makes from a template: identity, labels, owner, env.
 */
final class PodDecoration {

    private PodDecoration() {}

    /** Name, namespace, owner and labels; the user's labels are kept and ours win. */
    static void identify(
            Pod pod,
            String name,
            String namespace,
            Map<String, String> labels,
            OwnerReference owner) {
        ObjectMeta metadata = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        metadata.setName(name);
        metadata.setGenerateName(null);
        metadata.setNamespace(namespace);
        Map<String, String> merged = new LinkedHashMap<>();
        if (metadata.getLabels() != null) {
            merged.putAll(metadata.getLabels());
        }
        merged.putAll(labels);
        metadata.setLabels(merged);
        metadata.setOwnerReferences(owner == null ? null : new ArrayList<>(List.of(owner)));
        pod.setMetadata(metadata);
        if (pod.getSpec().getRestartPolicy() == null) {
            pod.getSpec().setRestartPolicy("Never");
        }
    }

    /** Sets the variable in the container, replacing one of the same name. */
    static void setEnv(Container container, String name, String value) {
        List<EnvVar> env =
                container.getEnv() == null
                        ? new ArrayList<>()
                        : new ArrayList<>(container.getEnv());
        EnvVar variable = new EnvVarBuilder().withName(name).withValue(value).build();
        boolean replaced = false;
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).getName().equals(name)) {
                env.set(i, variable);
                replaced = true;
            }
        }
        if (!replaced) {
            env.add(variable);
        }
        container.setEnv(env);
    }

    static boolean hasEnv(Container container, String name) {
        return container.getEnv() != null
                && container.getEnv().stream().anyMatch(e -> name.equals(e.getName()));
    }

    static void setEnv(Container container, Map<String, String> variables) {
        variables.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> setEnv(container, e.getKey(), e.getValue()));
    }
}
