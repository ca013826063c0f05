package io.daskkubernetes.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The owner ConfigMap of a cluster: every other object points at it, and its data holds what
 * another process needs to rebuild the model (to scale, read or close the cluster later). That
 * process's own configuration plays no part: the cluster is what its owner says.
 */
final class ClusterOwner {

    static final String WORKER_TEMPLATE = "worker-template.yaml";
    static final String SCHEDULER_ADDRESS = "scheduler-address";
    static final String DEPLOY_MODE = "deploy-mode";
    static final String NAMESPACE = "namespace";
    static final String AFFINITY_MODE = "affinity-mode";
    static final String ENV = "env.yaml";
    static final String USER = "user";
    static final String COUNT_MAX = "count-max";

    private static final YAMLMapper YAML = new YAMLMapper();

    private ClusterOwner() {}

    static ConfigMap build(ClusterModel model) {
        ClusterSettings spec = model.settings();
        Map<String, String> data = new LinkedHashMap<>();
        data.put(NAMESPACE, model.namespace());
        data.put(DEPLOY_MODE, spec.deployMode().name().toLowerCase(Locale.ROOT));
        data.put(SCHEDULER_ADDRESS, model.schedulerAddressInCluster());
        data.put(AFFINITY_MODE, spec.affinityMode().name().toLowerCase(Locale.ROOT));
        data.put(USER, spec.user());
        data.put(ENV, ClusterModel.yaml(new TreeMap<>(spec.env())));
        data.put(WORKER_TEMPLATE, ClusterModel.yaml(spec.workerTemplate()));
        spec.countMax().ifPresent(max -> data.put(COUNT_MAX, Integer.toString(max)));
        if (model.tls()) {
            data.put(ClusterTls.OWNER_KEY, ClusterTls.secretName(spec.name()));
        }
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(spec.name())
                .withNamespace(model.namespace())
                .withLabels(model.podLabels(DaskLabels.COMPONENT_CLUSTER))
                .endMetadata()
                .withData(data)
                .build();
    }

    static ClusterModel rebuild(ConfigMap owner, RandomGenerator random) {
        String source =
                "ConfigMap " + (owner.getMetadata() == null ? "?" : owner.getMetadata().getName());
        Map<String, String> data = owner.getData() == null ? Map.of() : owner.getData();
        // The template first: an owner that lacks it was not made by this project at all.
        Pod workerTemplate =
                PodTemplates.fromYamlString(
                        required(data, WORKER_TEMPLATE, source),
                        source + " data." + WORKER_TEMPLATE);
        String namespace = required(data, NAMESPACE, source);
        ClusterSettings settings =
                new ClusterSettings(
                        owner.getMetadata().getName(),
                        required(data, USER, source),
                        Optional.of(namespace),
                        workerTemplate,
                        Optional.empty(),
                        null,
                        null,
                        0,
                        countMax(data.get(COUNT_MAX), source),
                        env(required(data, ENV, source), source),
                        DeployMode.parse(required(data, DEPLOY_MODE, source), source),
                        "ClusterIP",
                        Optional.empty(),
                        Duration.ZERO,
                        AffinityMode.parse(required(data, AFFINITY_MODE, source), source),
                        DashboardLink.DEFAULT_TEMPLATE,
                        false,
                        List.of());
        String address = required(data, SCHEDULER_ADDRESS, source);
        ClusterModel model =
                settings.deployMode() == DeployMode.REMOTE
                        ? ClusterModel.of(settings, namespace, random)
                        : ClusterModel.withExternalScheduler(settings, namespace, address, random);
        return (data.containsKey(ClusterTls.OWNER_KEY) ? model.withTls() : model).ownedBy(owner);
    }

    private static OptionalInt countMax(String value, String source) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new SpecException(
                    source,
                    "data." + COUNT_MAX,
                    "\"" + value + "\" is not a number",
                    "recreate the cluster",
                    e);
        }
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
