package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pod template must satisfy to become a Dask pod, beyond its shape: it is a v1 Pod, with
 * containers that have valid names and images, valid quantities, labels and policies. Each failure
 * is a {@link SpecException} that says the fix.
 */
final class PodTemplateRules {

    private static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

    private PodTemplateRules() {}

    static void check(Pod pod, String source) {
        if (pod.getKind() != null && !pod.getKind().equals("Pod")) {
            throw new SpecException(
                    source,
                    "kind",
                    "\"" + pod.getKind() + "\" is not Pod",
                    "give a Pod template (kind: Pod); KubeCluster makes the other objects itself");
        }
        if (pod.getApiVersion() != null && !pod.getApiVersion().equals("v1")) {
            throw new SpecException(
                    source,
                    "apiVersion",
                    "\"" + pod.getApiVersion() + "\" is not the Pod API version",
                    "use apiVersion: v1 or leave it out");
        }
        if (pod.getMetadata() != null) {
            checkLabels(pod.getMetadata().getLabels(), source);
        }
        if (pod.getSpec() == null) {
            throw new SpecException(
                    source,
                    "spec",
                    "is missing",
                    "add spec.containers with at least one container that runs dask-worker");
        }
        String restartPolicy = pod.getSpec().getRestartPolicy();
        if (restartPolicy != null && !RESTART_POLICIES.contains(restartPolicy)) {
            throw new SpecException(
                    source,
                    "spec.restartPolicy",
                    "\"" + restartPolicy + "\" is not a restart policy",
                    "use Never (or Always, OnFailure)");
        }
        List<Container> containers = pod.getSpec().getContainers();
        if (containers == null || containers.isEmpty()) {
            throw new SpecException(
                    source,
                    "spec.containers",
                    "has no containers",
                    "add a container with a name, an image and args such as [dask-worker, --nthreads, '1']");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            checkContainer(containers.get(i), "spec.containers[" + i + "]", source, names);
        }
    }

    private static void checkLabels(Map<String, String> labels, String source) {
        if (labels == null) {
            return;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String path = "metadata.labels." + label.getKey();
            if (!KubernetesNames.isLabelKey(label.getKey())) {
                throw new SpecException(
                        source,
                        path,
                        "\"" + label.getKey() + "\" is not a valid label key",
                        "use letters, digits, '-', '_' and '.', at most 63 characters, optionally after a DNS prefix and '/'");
            }
            if (!KubernetesNames.isLabelValue(label.getValue())) {
                throw new SpecException(
                        source,
                        path,
                        "\"" + label.getValue() + "\" is not a valid label value",
                        "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }
        }
    }

    private static void checkContainer(
            Container container, String path, String source, Set<String> names) {
        String name = container.getName();
        if (name == null || name.isBlank()) {
            throw new SpecException(
                    source,
                    path + ".name",
                    "is missing",
                    "give the container a name such as dask-worker");
        }
        if (!KubernetesNames.isDnsLabel(name)) {
            throw new SpecException(
                    source,
                    path + ".name",
                    "\"" + name + "\" is not a valid container name",
                    "use lower-case letters, digits and '-', at most 63 characters, such as dask-worker");
        }
        if (!names.add(name)) {
            throw new SpecException(
                    source,
                    path + ".name",
                    "\"" + name + "\" is used by two containers",
                    "give each container its own name");
        }
        if (container.getImage() == null || container.getImage().isBlank()) {
            throw new SpecException(
                    source,
                    path + ".image",
                    "is missing",
                    "set an image that has Dask installed, such as ghcr.io/dask/dask:latest");
        }
        String pullPolicy = container.getImagePullPolicy();
        if (pullPolicy != null && !PULL_POLICIES.contains(pullPolicy)) {
            throw new SpecException(
                    source,
                    path + ".imagePullPolicy",
                    "\"" + pullPolicy + "\" is not a pull policy",
                    "use IfNotPresent, Always or Never");
        }
        if (container.getEnv() != null) {
            for (int i = 0; i < container.getEnv().size(); i++) {
                EnvVar env = container.getEnv().get(i);
                if (env.getName() == null || env.getName().isBlank()) {
                    throw new SpecException(
                            source,
                            path + ".env[" + i + "].name",
                            "is missing",
                            "give every environment variable a name");
                }
            }
        }
        if (container.getPorts() != null) {
            for (int i = 0; i < container.getPorts().size(); i++) {
                ContainerPort port = container.getPorts().get(i);
                Integer number = port.getContainerPort();
                if (number == null || number < 1 || number > 65535) {
                    throw new SpecException(
                            source,
                            path + ".ports[" + i + "].containerPort",
                            number == null ? "is missing" : number + " is not a port number",
                            "use a port between 1 and 65535");
                }
            }
        }
        checkResources(container.getResources(), path + ".resources", source);
    }

    private static void checkResources(ResourceRequirements resources, String path, String source) {
        if (resources == null) {
            return;
        }
        checkQuantities(resources.getLimits(), path + ".limits", source);
        checkQuantities(resources.getRequests(), path + ".requests", source);
        if (resources.getLimits() == null || resources.getRequests() == null) {
            return;
        }
        for (Map.Entry<String, Quantity> request : resources.getRequests().entrySet()) {
            Quantity limit = resources.getLimits().get(request.getKey());
            if (limit != null && amount(request.getValue()).compareTo(amount(limit)) > 0) {
                throw new SpecException(
                        source,
                        path + ".requests." + request.getKey(),
                        "\"" + request.getValue() + "\" is more than the limit \"" + limit + "\"",
                        "lower the request or raise limits." + request.getKey());
            }
        }
    }

    private static void checkQuantities(
            Map<String, Quantity> quantities, String path, String source) {
        if (quantities == null) {
            return;
        }
        for (Map.Entry<String, Quantity> entry : quantities.entrySet()) {
            String text = entry.getValue() == null ? null : entry.getValue().toString();
            if (!KubernetesNames.isQuantity(text)) {
                throw new SpecException(
                        source,
                        path + "." + entry.getKey(),
                        "\"" + text + "\" is not a Kubernetes quantity",
                        entry.getKey().equals("cpu")
                                ? "use a quantity such as 2 or 500m"
                                : "use a quantity such as 6G or 6Gi");
            }
            if (text.startsWith("-")) {
                throw new SpecException(
                        source,
                        path + "." + entry.getKey(),
                        "\"" + text + "\" is negative",
                        "use a positive quantity");
            }
        }
    }

    static BigDecimal amount(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity);
    }
}
