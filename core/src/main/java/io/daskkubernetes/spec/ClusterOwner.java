package io.daskkubernetes.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daskkubernetes.config.DaskConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The owner ConfigMap of a cluster: every other object points at it, and its data holds what
 * another process needs to rebuild the model (to scale or close the cluster later).
 */
final class ClusterOwner {

    static final String WORKER_TEMPLATE = "worker-template.yaml";
    static final String SCHEDULER_ADDRESS = "scheduler-address";
    static final String DEPLOY_MODE = "deploy-mode";
    static final String NAMESPACE = "namespace";
    static final String AFFINITY_MODE = "affinity-mode";
    static final String ENV = "env.yaml";
    static final String USER = "user";

    private static final YAMLMapper YAML = new YAMLMapper();

    private ClusterOwner() {}

    static ConfigMap build(ClusterModel model) {
        ClusterSpec spec = model.spec();
        Map<String, String> data = new LinkedHashMap<>();
        data.put(NAMESPACE, model.namespace());
        data.put(DEPLOY_MODE, spec.deployMode().name().toLowerCase(java.util.Locale.ROOT));
        data.put(SCHEDULER_ADDRESS, model.schedulerAddressInCluster());
        data.put(AFFINITY_MODE, spec.affinityMode().name().toLowerCase(java.util.Locale.ROOT));
        data.put(USER, spec.user());
        data.put(ENV, ClusterModel.yaml(new TreeMap<>(spec.env())));
        data.put(WORKER_TEMPLATE, ClusterModel.yaml(spec.workerTemplate()));
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(spec.name())
                .withNamespace(model.namespace())
                .withLabels(model.podLabels(DaskLabels.COMPONENT_CLUSTER))
                .endMetadata()
                .withData(data)
                .build();
    }

    static ClusterModel rebuild(ConfigMap owner, DaskConfig config) {
        String source =
                "ConfigMap " + (owner.getMetadata() == null ? "?" : owner.getMetadata().getName());
        Map<String, String> data = owner.getData() == null ? Map.of() : owner.getData();
        ClusterSpec spec =
                ClusterSpec.builder(config)
                        .name(owner.getMetadata().getName())
                        .workerTemplate(
                                PodTemplates.fromYamlString(
                                        required(data, WORKER_TEMPLATE, source),
                                        source + " data." + WORKER_TEMPLATE))
                        .deployMode(DeployMode.parse(required(data, DEPLOY_MODE, source), source))
                        .affinityMode(
                                AffinityMode.parse(required(data, AFFINITY_MODE, source), source))
                        .user(required(data, USER, source))
                        .env(env(required(data, ENV, source), source))
                        .namespace(required(data, NAMESPACE, source))
                        .build();
        String namespace = required(data, NAMESPACE, source);
        String address = required(data, SCHEDULER_ADDRESS, source);
        ClusterModel model =
                spec.deployMode() == DeployMode.REMOTE
                        ? ClusterModel.of(spec, namespace)
                        : ClusterModel.withExternalScheduler(spec, namespace, address);
        return model.ownedBy(owner);
    }

    private static Map<String, String> env(String yaml, String source) {
        try {
            Map<String, String> env =
                    YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, String>>() {});
            return env == null ? Map.of() : env;
        } catch (JsonProcessingException e) {
            throw new SpecException(
                    source,
                    "data." + ENV,
                    "is not a YAML map of strings",
                    "recreate the cluster",
                    e);
        }
    }

    private static String required(Map<String, String> data, String key, String source) {
        String value = data.get(key);
        if (value == null) {
            throw new SpecException(
                    source,
                    "data." + key,
                    "is missing",
                    "this ConfigMap was not made by dask-kubernetes for the JVM, or by an older version; recreate the cluster");
        }
        return value;
    }
}
