package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** {@code spec} of a DaskWorkerGroup: the cluster it joins and its workers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskWorkerGroupSpec {

    /** The name of the DaskCluster, in the same namespace. */
    @Required private String cluster;

    @Required private WorkerSpec worker;

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public WorkerSpec getWorker() {
        return worker;
    }

    public void setWorker(WorkerSpec worker) {
        this.worker = worker;
    }
}
