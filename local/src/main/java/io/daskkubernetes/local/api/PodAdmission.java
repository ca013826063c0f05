package io.daskkubernetes.local.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server checks and fills in when a pod is created: the validation that the CRUD mock
 * skips (so that a bad pod fails at create with the field named, not later in the kubelet) and the
 * defaults our kubelet relies on (restartPolicy, grace period, phase Pending).
 */
public final class PodAdmission {

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
    private static final long DEFAULT_GRACE_SECONDS = 30;

    public Pod admit(Pod pod) {
        String name = pod.getMetadata().getName();
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw invalid(
                    name,
                    "metadata.name: Invalid value: \""
                            + name
                            + "\": a lowercase RFC 1123 subdomain must "
                            + "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                            + "character");
        }
        if (pod.getSpec() == null
                || pod.getSpec().getContainers() == null
                || pod.getSpec().getContainers().isEmpty()) {
            throw invalid(
                    name, "spec.containers: Required value: a pod needs at least one container");
        }
        validateContainers(name, "spec.containers", pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            validateContainers(name, "spec.initContainers", pod.getSpec().getInitContainers());
        }
        String restartPolicy = pod.getSpec().getRestartPolicy();
        if (restartPolicy == null || restartPolicy.isEmpty()) {
            pod.getSpec().setRestartPolicy("Always");
        } else if (!RESTART_POLICIES.contains(restartPolicy)) {
            throw invalid(
                    name,
                    "spec.restartPolicy: Unsupported value: \""
                            + restartPolicy
                            + "\": supported values: \"Always\", \"OnFailure\", \"Never\"");
        }
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        if (grace == null) {
            pod.getSpec().setTerminationGracePeriodSeconds(DEFAULT_GRACE_SECONDS);
        } else if (grace < 0) {
            throw invalid(
                    name,
                    "spec.terminationGracePeriodSeconds: Invalid value: "
                            + grace
                            + ": must be greater than or equal to 0");
        }
        if (pod.getSpec().getSchedulerName() == null) {
            pod.getSpec().setSchedulerName("default-scheduler");
        }
        if (pod.getSpec().getDnsPolicy() == null) {
            pod.getSpec().setDnsPolicy("ClusterFirst");
        }
        // A new pod has phase Pending until the kubelet says otherwise, whatever the client sent.
        pod.setStatus(
                new PodStatusBuilder().withPhase("Pending").withQosClass("BestEffort").build());
        return pod;
    }

    private static void validateContainers(String pod, String field, List<Container> containers) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            String containerName = containers.get(i).getName();
            String where = field + "[" + i + "].name";
            if (containerName == null || containerName.isEmpty()) {
                throw invalid(pod, where + ": Required value: every container needs a name");
            }
            if (containerName.length() > 63 || !DNS_LABEL.matcher(containerName).matches()) {
                throw invalid(
                        pod,
                        where
                                + ": Invalid value: \""
                                + containerName
                                + "\": a container name must be a "
                                + "lowercase RFC 1123 label (lower case alphanumeric characters or '-', at most 63)");
            }
            if (!names.add(containerName)) {
                throw invalid(
                        pod,
                        where
                                + ": Duplicate value: \""
                                + containerName
                                + "\": container names must be unique");
            }
        }
    }

    private static AdmissionException invalid(String pod, String message) {
        return new AdmissionException("Pod \"" + pod + "\" is invalid: " + message);
    }
}
