package io.daskkubernetes.operator;

import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskJob;
import io.daskkubernetes.operator.api.TemplateMetadata;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;

/**
 * The objects a DaskJob is made of, as upstream names them: the DaskCluster {@code <job>} and the
 * runner pod {@code <job>-runner} (label {@code dask.org/component=job-runner}, env {@code
 * DASK_SCHEDULER_ADDRESS}), both controlled by the job so that deleting it deletes them. The job's
 * labels and annotations pass on as they do from a DaskCluster.
 */
final class JobResources {

    static final String COMPONENT_JOB_RUNNER = "job-runner";

    /** Dask's connect timeout for the runner's client, unless the job sets it. */
    static final String RUNNER_CONNECT_TIMEOUT_VARIABLE =
            "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT";

    private JobResources() {}

    static String clusterName(DaskJob job) {
        return job.getMetadata().getName();
    }

    static String runnerName(DaskJob job) {
        return job.getMetadata().getName() + "-runner";
    }

    /** Why the job's name cannot name its cluster and runner, or empty when it can. */
    static Optional<String> problem(DaskJob job) {
        return ClusterNames.problem(clusterName(job))
                .map(p -> p.replace("a DaskCluster's name", "a DaskJob's name (its cluster's)"));
    }

    static DaskCluster cluster(DaskJob job) {
        DaskCluster cluster = new DaskCluster();
        cluster.setMetadata(
                metadata(
                        job, clusterName(job), job.getSpec().getCluster().getMetadata(), Map.of()));
        cluster.setSpec(Serialization.clone(job.getSpec().getCluster().getSpec()));
        return cluster;
    }

    /**
     * The runner: the job's pod spec with {@code restartPolicy: Never} unless it says otherwise (a
     * job runs once; the pod default Always would run it for ever) and the scheduler's address in
     * every container that does not set it.
     */
    static Pod runner(DaskJob job) {
        PodSpec spec = Serialization.clone(job.getSpec().getJob().getSpec());
        if (spec.getRestartPolicy() == null) {
            spec.setRestartPolicy("Never");
        }
        String address =
                ClusterNames.schedulerAddress(clusterName(job), job.getMetadata().getNamespace());
        for (Container container : spec.getContainers()) {
            container.setEnv(
                    WorkerPods.withDefaults(
                            container.getEnv(),
                            new EnvVar(WorkerPods.SCHEDULER_ADDRESS_VARIABLE, address, null),
                            // The runner starts with its cluster, as upstream's: its client waits
                            // for the scheduler longer than Dask's 30 s (CI saw it give up).
                            new EnvVar(RUNNER_CONNECT_TIMEOUT_VARIABLE, "300s", null)));
        }
        return new PodBuilder()
                .withMetadata(
                        metadata(
                                job,
                                runnerName(job),
                                job.getSpec().getJob().getMetadata(),
                                Map.of(
                                        DaskLabels.CLUSTER_NAME,
                                        clusterName(job),
                                        DaskLabels.COMPONENT,
                                        COMPONENT_JOB_RUNNER)))
                .withSpec(spec)
                .build();
    }

    private static ObjectMeta metadata(
            DaskJob job, String name, TemplateMetadata template, Map<String, String> ours) {
        ObjectMeta parent = job.getMetadata();
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(parent.getNamespace())
                .withLabels(
                        OperatorLabels.merged(
                                parent.getLabels(),
                                template == null ? null : template.getLabels(),
                                ours))
                .withAnnotations(
                        OperatorLabels.merged(
                                OperatorLabels.propagatedAnnotations(parent.getAnnotations()),
                                template == null ? null : template.getAnnotations(),
                                Map.of()))
                .withOwnerReferences(ClusterResources.controlledBy(job))
                .build();
    }
}
