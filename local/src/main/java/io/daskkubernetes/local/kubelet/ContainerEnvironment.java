package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment of a container, built as the kubelet builds it: {@code envFrom} first, then
 * {@code env} in order, each literal value expanded against the variables defined before it, {@code
 * valueFrom} read from the downward API, ConfigMaps and Secrets.
 */
final class ContainerEnvironment {

    private static final Pattern MAP_FIELD =
            Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

    private final KubernetesClient client;
    private final Map<String, Quantity> nodeAllocatable;

    ContainerEnvironment(KubernetesClient client, Map<String, Quantity> nodeAllocatable) {
        this.client = client;
        this.nodeAllocatable = nodeAllocatable;
    }

    /** The pod-defined variables of a container, in definition order. */
    Map<String, String> resolve(Pod pod, Container container, String podIp, String hostIp) {
        Map<String, String> env = new LinkedHashMap<>();
        String namespace = pod.getMetadata().getNamespace();
        if (container.getEnvFrom() != null) {
            for (EnvFromSource source : container.getEnvFrom()) {
                String prefix = source.getPrefix() == null ? "" : source.getPrefix();
                if (source.getConfigMapRef() != null) {
                    ConfigMap map =
                            client.configMaps()
                                    .inNamespace(namespace)
                                    .withName(source.getConfigMapRef().getName())
                                    .get();
                    if (map == null) {
                        if (!Boolean.TRUE.equals(source.getConfigMapRef().getOptional())) {
                            throw configError(
                                    "configmap \""
                                            + source.getConfigMapRef().getName()
                                            + "\" not found (envFrom of "
                                            + "container "
                                            + container.getName()
                                            + "); create it or mark the reference optional");
                        }
                    } else if (map.getData() != null) {
                        map.getData().forEach((key, value) -> env.put(prefix + key, value));
                    }
                }
                if (source.getSecretRef() != null) {
                    Secret secret =
                            client.secrets()
                                    .inNamespace(namespace)
                                    .withName(source.getSecretRef().getName())
                                    .get();
                    if (secret == null) {
                        if (!Boolean.TRUE.equals(source.getSecretRef().getOptional())) {
                            throw configError(
                                    "secret \""
                                            + source.getSecretRef().getName()
                                            + "\" not found (envFrom of container "
                                            + container.getName()
                                            + "); create it or mark the reference optional");
                        }
                    } else {
                        secretData(secret).forEach((key, value) -> env.put(prefix + key, value));
                    }
                }
            }
        }
        if (container.getEnv() != null) {
            for (EnvVar variable : container.getEnv()) {
                if (variable.getValueFrom() != null) {
                    String value = valueFrom(pod, container, variable, podIp, hostIp);
                    if (value != null) {
                        env.put(variable.getName(), value);
                    }
                } else {
                    String literal = variable.getValue() == null ? "" : variable.getValue();
                    env.put(variable.getName(), VariableExpansion.expand(literal, env::get));
                }
            }
        }
        return env;
    }

    private String valueFrom(
            Pod pod, Container container, EnvVar variable, String podIp, String hostIp) {
        EnvVarSource source = variable.getValueFrom();
        String namespace = pod.getMetadata().getNamespace();
        if (source.getFieldRef() != null) {
            return field(
                    pod, source.getFieldRef().getFieldPath(), podIp, hostIp, variable.getName());
        }
        if (source.getResourceFieldRef() != null) {
            return resource(pod, container, source.getResourceFieldRef());
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            ConfigMap map =
                    client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
            String value =
                    map == null || map.getData() == null ? null : map.getData().get(ref.getKey());
            return keyValue(
                    value,
                    ref.getOptional(),
                    ref.getKey(),
                    "ConfigMap " + namespace + "/" + ref.getName(),
                    variable,
                    container);
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
            String value = secret == null ? null : secretData(secret).get(ref.getKey());
            return keyValue(
                    value,
                    ref.getOptional(),
                    ref.getKey(),
                    "Secret " + namespace + "/" + ref.getName(),
                    variable,
                    container);
        }
        throw configError(
                "env "
                        + variable.getName()
                        + " of container "
                        + container.getName()
                        + " has a valueFrom this local runtime does not support; use fieldRef, resourceFieldRef, configMapKeyRef "
                        + "or secretKeyRef");
    }

    private static String field(
            Pod pod, String path, String podIp, String hostIp, String variable) {
        var metadata = pod.getMetadata();
        switch (path) {
            case "metadata.name":
                return metadata.getName();
            case "metadata.namespace":
                return metadata.getNamespace();
            case "metadata.uid":
                return metadata.getUid();
            case "spec.nodeName":
                return pod.getSpec().getNodeName();
            case "spec.serviceAccountName":
                return pod.getSpec().getServiceAccountName() == null
                        ? "default"
                        : pod.getSpec().getServiceAccountName();
            case "status.podIP":
            case "status.podIPs":
                return podIp;
            case "status.hostIP":
            case "status.hostIPs":
                return hostIp;
            default:
                Matcher matcher = MAP_FIELD.matcher(path);
                if (matcher.matches()) {
                    Map<String, String> values =
                            matcher.group(1).equals("labels")
                                    ? metadata.getLabels()
                                    : metadata.getAnnotations();
                    return values == null ? "" : values.getOrDefault(matcher.group(2), "");
                }
                throw configError(
                        "env "
                                + variable
                                + ": unsupported fieldRef.fieldPath \""
                                + path
                                + "\"; supported: "
                                + "metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], "
                                + "spec.nodeName, spec.serviceAccountName, status.podIP, status.hostIP");
        }
    }

    /**
     * limits.* and requests.* in the divisor's unit, rounded up; a missing limit is the node's
     * allocatable.
     */
    private String resource(Pod pod, Container container, ResourceFieldSelector selector) {
        Container target = container;
        if (selector.getContainerName() != null && !selector.getContainerName().isEmpty()) {
            target =
                    pod.getSpec().getContainers().stream()
                            .filter(c -> c.getName().equals(selector.getContainerName()))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            configError(
                                                    "resourceFieldRef names container \""
                                                            + selector.getContainerName()
                                                            + "\", which the pod does not have"));
        }
        String[] parts = selector.getResource().split("\\.", 2);
        if (parts.length != 2 || !(parts[0].equals("limits") || parts[0].equals("requests"))) {
            throw configError(
                    "unsupported resourceFieldRef.resource \""
                            + selector.getResource()
                            + "\"; use limits.cpu, limits.memory, requests.cpu or requests.memory");
        }
        var resources = target.getResources();
        Map<String, Quantity> values =
                resources == null
                        ? null
                        : parts[0].equals("limits")
                                ? resources.getLimits()
                                : resources.getRequests();
        Quantity quantity = values == null ? null : values.get(parts[1]);
        if (quantity == null) {
            quantity =
                    parts[0].equals("limits") ? nodeAllocatable.get(parts[1]) : new Quantity("0");
        }
        if (quantity == null) {
            return "0";
        }
        BigDecimal divisor =
                selector.getDivisor() == null
                        ? BigDecimal.ONE
                        : selector.getDivisor().getNumericalAmount();
        return quantity.getNumericalAmount()
                .divide(divisor, 0, RoundingMode.CEILING)
                .toPlainString();
    }

    private static Map<String, String> secretData(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach(
                            (key, value) ->
                                    data.put(
                                            key,
                                            new String(
                                                    Base64.getDecoder().decode(value),
                                                    StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    /**
     * A key's value for a variable: a missing key keeps the container from starting unless
     * optional.
     */
    private static String keyValue(
            String value,
            Boolean optional,
            String key,
            String source,
            EnvVar variable,
            Container container) {
        if (value == null && !Boolean.TRUE.equals(optional)) {
            throw configError(
                    "couldn't find key "
                            + key
                            + " in "
                            + source
                            + " (env "
                            + variable.getName()
                            + " of container "
                            + container.getName()
                            + ")");
        }
        return value;
    }

    private static ContainerConfigException configError(String message) {
        return new ContainerConfigException("CreateContainerConfigError", message);
    }
}
