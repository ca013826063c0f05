package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** {@code spec} of a DaskJob: a runner pod and the cluster it runs against. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskJobSpec {

    @Required private JobRunnerSpec job;

    @Required private JobClusterSpec cluster;

    public JobRunnerSpec getJob() {
        return job;
    }

    public void setJob(JobRunnerSpec job) {
        this.job = job;
    }

    public JobClusterSpec getCluster() {
        return cluster;
    }

    public void setCluster(JobClusterSpec cluster) {
        this.cluster = cluster;
    }
}
