package io.daskkubernetes.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes.*} keys a user set that the classic client does not act on, each named in
 * one warning, so that no setting of an existing {@code kubernetes.yaml} is ignored silently.
 */
public final class UnusedConfigKeys {

    /** Keys the classic client acts on; a key under one of these belongs to it. */
    private static final List<String> HONOURED =
            List.of(
                    "kubernetes.name",
                    "kubernetes.namespace",
                    "kubernetes.env",
                    "kubernetes.count.start",
                    "kubernetes.count.max",
                    "kubernetes.scheduler-service-type",
                    "kubernetes.idle-timeout",
                    "kubernetes.lease-duration",
                    "kubernetes.deploy-mode",
                    "kubernetes.apply-default-affinity",
                    "kubernetes.scheduler-service-wait-timeout",
                    "kubernetes.scheduler-service-template",
                    "kubernetes.scheduler-pdb-template",
                    "kubernetes.worker-template-path",
                    "kubernetes.worker-template",
                    "kubernetes.scheduler-template",
                    TlsSetting.CONFIG_KEY);

    /** Keys of Python's operator-era KubeCluster: valid, but not for the classic client. */
    private static final List<String> OPERATOR_KEYS =
            List.of(
                    "kubernetes.image",
                    "kubernetes.resources",
                    "kubernetes.worker-command",
                    "kubernetes.port-forward-cluster-ip",
                    "kubernetes.create-mode",
                    "kubernetes.shutdown-on-close",
                    "kubernetes.resource-timeout",
                    "kubernetes.custom-cluster-spec",
                    "kubernetes.scheduler-forward-port",
                    "kubernetes.scheduler-jupyter");

    /** Classic keys that have no effect here, and why. */
    private static final Map<String, String> CLASSIC_KEYS_NOT_USED =
            Map.of(
                    "kubernetes.host",
                    "deploy-mode local binds the scheduler to the address the workers use",
                    "kubernetes.port",
                    "deploy-mode local lets the scheduler choose a free port",
                    "kubernetes.interface",
                    "deploy-mode local binds the scheduler to the address the workers use",
                    "kubernetes.protocol",
                    "only tcp:// is supported",
                    "kubernetes.dashboard-address",
                    "the scheduler's dashboard is on port 8787 of its pod",
                    "kubernetes.scheduler-service-name-resolution-retries",
                    "the scheduler is reached through the Kubernetes API, not by resolving its name",
                    "kubernetes.controller",
                    "workers are created concurrently, not in batches");

    private UnusedConfigKeys() {}

    /** One warning per key that a user set and the classic client does not act on. */
    public static List<String> find(DaskConfig config) {
        List<String> warnings = new ArrayList<>();
        config.keysSetByUser("kubernetes")
                .forEach(
                        (key, origin) -> {
                            String reason = reason(key);
                            if (reason != null) {
                                warnings.add(
                                        key + " (set in " + origin + ") is ignored: " + reason);
                            }
                        });
        return warnings;
    }

    /** Why a key is not used, or null when the classic client acts on it. */
    private static String reason(String key) {
        if (HONOURED.stream().anyMatch(known -> isAtOrUnder(key, known))) {
            return null;
        }
        if (OPERATOR_KEYS.stream().anyMatch(known -> isAtOrUnder(key, known))) {
            return "it is a setting of the operator-era KubeCluster (Python's, or OperatorKubeCluster"
                    + " here), not of the classic client";
        }
        for (Map.Entry<String, String> entry : CLASSIC_KEYS_NOT_USED.entrySet()) {
            if (isAtOrUnder(key, entry.getKey())) {
                return entry.getValue();
            }
        }
        return "dask-kubernetes knows no such key; check its spelling against the user guide";
    }

    private static boolean isAtOrUnder(String key, String known) {
        return key.equals(known) || key.startsWith(known + ".");
    }
}
