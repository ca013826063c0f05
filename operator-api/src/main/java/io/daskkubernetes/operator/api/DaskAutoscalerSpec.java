package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * {@code spec} of a DaskAutoscaler: the cluster, the bounds, and (our addition, optional) the
 * worker group to scale, {@code <cluster>-default} when absent as upstream always does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskAutoscalerSpec {

    @Required private String cluster;

    @Required
    @Min(0)
    private Integer minimum;

    @Required
    @Min(0)
    private Integer maximum;

    /** The DaskWorkerGroup to scale; absent means the cluster's default group. */
    private String workerGroup;

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public Integer getMinimum() {
        return minimum;
    }

    public void setMinimum(Integer minimum) {
        this.minimum = minimum;
    }

    public Integer getMaximum() {
        return maximum;
    }

    public void setMaximum(Integer maximum) {
        this.maximum = maximum;
    }

    public String getWorkerGroup() {
        return workerGroup;
    }

    public void setWorkerGroup(String workerGroup) {
        this.workerGroup = workerGroup;
    }
}
