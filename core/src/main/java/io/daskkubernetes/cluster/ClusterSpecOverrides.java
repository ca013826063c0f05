package io.daskkubernetes.cluster;

import io.daskkubernetes.spec.AffinityMode;
import io.daskkubernetes.spec.ClusterSpec;
import io.daskkubernetes.spec.DeployMode;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;

/** The options a {@link KubeCluster.Builder} was given, laid over configuration when the cluster starts. */
final class ClusterSpecOverrides {
    Pod workerTemplate;
    Pod schedulerTemplate;
    String name;
    String namespace;
    Integer workers;
    Map<String, String> env;
    DeployMode deployMode;
    String serviceType;
    Duration idleTimeout;
    AffinityMode affinityMode;

    ClusterSpec.Builder applyTo(ClusterSpec.Builder builder) {
        if (workerTemplate != null) {
            builder.workerTemplate(workerTemplate);
        }
        if (schedulerTemplate != null) {
            builder.schedulerTemplate(schedulerTemplate);
        }
        if (name != null) {
            builder.name(name);
        }
        if (namespace != null) {
            builder.namespace(namespace);
        }
        if (workers != null) {
            builder.workers(workers);
        }
        if (env != null) {
            builder.env(env);
        }
        if (deployMode != null) {
            builder.deployMode(deployMode);
        }
        if (serviceType != null) {
            builder.serviceType(serviceType);
        }
        if (idleTimeout != null) {
            builder.idleTimeout(idleTimeout);
        }
        if (affinityMode != null) {
            builder.affinityMode(affinityMode);
        }
        return builder;
    }
}
