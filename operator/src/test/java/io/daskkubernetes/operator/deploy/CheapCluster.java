package io.daskkubernetes.operator.deploy;

import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskJob;
import io.daskkubernetes.operator.api.DaskJobSpec;
import io.daskkubernetes.operator.api.JobClusterSpec;
import io.daskkubernetes.operator.api.JobRunnerSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/** A DaskCluster whose pods only sleep: for tests of who acts and what is counted, not of Dask. */
final class CheapCluster {

    private CheapCluster() {}

    static DaskCluster of(String name, int workers) {
        String yaml =
                """
                apiVersion: kubernetes.dask.org/v1
                kind: DaskCluster
                metadata:
                  name: %1$s
                  namespace: default
                spec:
                  worker:
                    replicas: %2$d
                    spec:
                      containers:
                        - name: worker
                          image: none
                          command: [sleep, "600"]
                  scheduler:
                    spec:
                      containers:
                        - name: scheduler
                          image: none
                          command: [sleep, "600"]
                    service:
                      selector:
                        dask.org/cluster-name: %1$s
                        dask.org/component: scheduler
                      ports:
                        - name: tcp-comm
                          port: 8786
                          targetPort: 8786
                """
                        .formatted(name, workers);
        return Serialization.unmarshal(yaml, DaskCluster.class);
    }

    /**
     * A DaskJob whose cluster only sleeps and whose runner prints a line and exits 3, deleted
     * {@code ttlSeconds} after it fails.
     */
    static DaskJob failingJob(String name, int ttlSeconds) {
        DaskCluster cluster = of(name, 0);
        DaskJob job = new DaskJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        DaskJobSpec spec = new DaskJobSpec();
        spec.setTtlSecondsAfterFinished(ttlSeconds);
        JobRunnerSpec runner = new JobRunnerSpec();
        runner.setSpec(
                new PodSpecBuilder()
                        .addNewContainer()
                        .withName("job")
                        .withImage("none")
                        .withCommand("sh", "-c", "echo failing; exit 3")
                        .endContainer()
                        .build());
        spec.setJob(runner);
        JobClusterSpec jobCluster = new JobClusterSpec();
        jobCluster.setSpec(cluster.getSpec());
        spec.setCluster(jobCluster);
        job.setSpec(spec);
        return job;
    }
}
