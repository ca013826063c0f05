package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * {@code spec} of a DaskCluster, as upstream: a scheduler, the default workers, an idle timeout.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskClusterSpec {

    @Required private WorkerSpec worker;

    @Required private SchedulerSpec scheduler;

    /** Seconds the scheduler may be idle before the cluster is deleted; 0 = never. */
    @Default("0")
    @Min(0)
    private Integer idleTimeout;

    public WorkerSpec getWorker() {
        return worker;
    }

    public void setWorker(WorkerSpec worker) {
        this.worker = worker;
    }

    public SchedulerSpec getScheduler() {
        return scheduler;
    }

    public void setScheduler(SchedulerSpec scheduler) {
        this.scheduler = scheduler;
    }

    public Integer getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Integer idleTimeout) {
        this.idleTimeout = idleTimeout;
    }
}
