package io.daskkubernetes.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * Pod templates from a YAML string, a map or a fabric8 Pod. Each is checked (see {@link
 * PodTemplateRules}) and returned as a fresh deep copy that the caller may change.
 */
public final class PodTemplates {

    private static final YAMLMapper YAML = new YAMLMapper();

    private PodTemplates() {}

    /**
     * Parses YAML text; {@code sourceName} is what errors call it. Environment variables are not
     * expanded.
     */
    public static Pod fromYamlString(String yaml, String sourceName) {
        return fromYamlString(yaml, sourceName, Map.of());
    }

    /**
     * Parses YAML text as classic {@code KubeCluster.from_yaml} did, expanding $VAR and ${VAR} from
     * {@code env}.
     */
    public static Pod fromYamlString(String yaml, String sourceName, Map<String, String> env) {
        Object parsed;
        try {
            parsed = yaml.isBlank() ? null : YAML.readValue(yaml, Object.class);
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null ? "" : " near line " + e.getLocation().getLineNr();
            throw new SpecException(
                    sourceName,
                    "(file)",
                    "is not valid YAML: " + e.getOriginalMessage(),
                    "fix the YAML syntax" + where,
                    e);
        }
        if (parsed == null) {
            throw new SpecException(
                    sourceName, "(file)", "is empty", "write a Pod: kind: Pod, spec.containers");
        }
        if (!(parsed instanceof Map)) {
            throw new SpecException(
                    sourceName,
                    "(file)",
                    "holds a YAML " + (parsed instanceof List ? "list" : "scalar") + ", not a Pod",
                    "write a single Pod mapping (kind: Pod, spec: ...), not a list of objects");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) EnvironmentExpansion.expandAll(parsed, env);
        return fromMap(map, sourceName);
    }

    /** A pod from nested maps, as classic {@code make_pod_from_dict}. */
    public static Pod fromMap(Map<String, Object> map) {
        return fromMap(map, "pod template");
    }

    public static Pod fromMap(Map<String, Object> map, String sourceName) {
        if (map == null) {
            throw new SpecException(sourceName, "(template)", "is null", "give a Pod template");
        }
        PodShape.check(map, sourceName);
        Pod pod;
        try {
            pod = KubernetesJson.SERIALIZATION.convertValue(map, Pod.class);
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    sourceName,
                    "(template)",
                    "cannot be read as a Pod: " + e.getMessage(),
                    "compare it with the Pod reference of Kubernetes",
                    e);
        }
        PodTemplateRules.check(pod, sourceName);
        return pod;
    }

    /** A checked deep copy of a fabric8 Pod. */
    public static Pod fromPod(Pod pod) {
        return fromPod(pod, "pod template");
    }

    public static Pod fromPod(Pod pod, String sourceName) {
        if (pod == null) {
            throw new SpecException(sourceName, "(template)", "is null", "give a Pod template");
        }
        return fromMap(asMap(pod), sourceName);
    }

    /** The pod as nested maps and lists, as it would be written in YAML. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Pod pod) {
        return KubernetesJson.SERIALIZATION.convertValue(pod, Map.class);
    }
}
