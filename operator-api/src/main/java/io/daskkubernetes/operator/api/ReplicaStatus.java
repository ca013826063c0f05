package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/**
 * What the status of a kind with workers tells: the workers there are (for the scale subresource,
 * which upstream never wrote), the selector that finds their pods, conditions and the generation
 * they describe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaStatus {

    @StatusReplicas private Integer replicas;

    @LabelSelector private String selector;

    private Long observedGeneration;

    private List<Condition> conditions = new ArrayList<>();

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }
}
