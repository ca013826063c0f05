package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Classic {@code clean_pod_template}'s scheduling defaults: tolerations for nodes tainted {@code
 * k8s.dask.org/dedicated=<type>:NoSchedule} (and GKE's {@code k8s.dask.org_dedicated}, which cannot
 * hold a '/'), and node affinity for {@code k8s.dask.org/node-purpose=<type>}.
 */
final class DefaultScheduling {

    static final String DEDICATED_KEY = "k8s.dask.org/dedicated";
    static final String DEDICATED_KEY_GKE = "k8s.dask.org_dedicated";
    static final String NODE_PURPOSE_KEY = "k8s.dask.org/node-purpose";

    private DefaultScheduling() {}

    static List<Toleration> tolerations(String podType) {
        return List.of(toleration(DEDICATED_KEY, podType), toleration(DEDICATED_KEY_GKE, podType));
    }

    static List<Map<String, Object>> tolerationMaps(String podType) {
        return List.of(
                Map.of(
                        "key",
                        DEDICATED_KEY,
                        "operator",
                        "Equal",
                        "value",
                        podType,
                        "effect",
                        "NoSchedule"),
                Map.of(
                        "key",
                        DEDICATED_KEY_GKE,
                        "operator",
                        "Equal",
                        "value",
                        podType,
                        "effect",
                        "NoSchedule"));
    }

    /** Adds the default tolerations the spec does not already have. */
    static void addTolerations(PodSpec spec, String podType) {
        List<Toleration> tolerations =
                spec.getTolerations() == null
                        ? new ArrayList<>()
                        : new ArrayList<>(spec.getTolerations());
        for (Toleration toleration : tolerations(podType)) {
            if (!tolerations.contains(toleration)) {
                tolerations.add(toleration);
            }
        }
        spec.setTolerations(tolerations);
    }

    /** Adds the node-purpose affinity the mode asks for, keeping the user's own affinity. */
    static void addAffinity(PodSpec spec, AffinityMode mode, String podType) {
        if (mode == AffinityMode.NONE) {
            return;
        }
        NodeSelectorRequirement purpose =
                new NodeSelectorRequirementBuilder()
                        .withKey(NODE_PURPOSE_KEY)
                        .withOperator("In")
                        .withValues(podType)
                        .build();
        NodeSelectorTerm term = new NodeSelectorTermBuilder().withMatchExpressions(purpose).build();
        AffinityBuilder affinity =
                spec.getAffinity() == null
                        ? new AffinityBuilder()
                        : new AffinityBuilder(spec.getAffinity());
        if (mode == AffinityMode.REQUIRED) {
            affinity.editOrNewNodeAffinity()
                    .editOrNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .addToNodeSelectorTerms(term)
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity();
        } else {
            affinity.editOrNewNodeAffinity()
                    .addToPreferredDuringSchedulingIgnoredDuringExecution(
                            new PreferredSchedulingTermBuilder()
                                    .withWeight(100)
                                    .withPreference(term)
                                    .build())
                    .endNodeAffinity();
        }
        Affinity built = affinity.build();
        spec.setAffinity(built);
    }

    private static Toleration toleration(String key, String podType) {
        return new TolerationBuilder()
                .withKey(key)
                .withOperator("Equal")
                .withValue(podType)
                .withEffect("NoSchedule")
                .build();
    }
}
