package io.daskkubernetes.ui;

import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskClusterSpec;
import io.daskkubernetes.operator.api.SchedulerSpec;
import io.daskkubernetes.operator.api.WorkerSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceSpec;

/**
 * A DaskCluster in namespace default with empty pod specs: what the console lists and scales, for
 * tests without an operator (nothing reconciles it).
 */
final class EmptyDaskCluster {

    private EmptyDaskCluster() {}

    static DaskCluster of(String name, int replicas) {
        WorkerSpec worker = new WorkerSpec();
        worker.setReplicas(replicas);
        worker.setSpec(new PodSpec());
        SchedulerSpec scheduler = new SchedulerSpec();
        scheduler.setSpec(new PodSpec());
        scheduler.setService(new ServiceSpec());
        DaskClusterSpec spec = new DaskClusterSpec();
        spec.setWorker(worker);
        spec.setScheduler(scheduler);
        DaskCluster cluster = new DaskCluster();
        cluster.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        cluster.setSpec(spec);
        return cluster;
    }
}
