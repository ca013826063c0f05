package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** {@code spec.worker} of a DaskCluster or DaskWorkerGroup: how many workers and their pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerSpec {

    @Default("1")
    @Min(0)
    @SpecReplicas
    private Integer replicas;

    private TemplateMetadata metadata;

    @Required private PodSpec spec;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    /** The number of workers asked for; upstream's default of 1 when the field is absent. */
    public int replicasOrDefault() {
        return replicas == null ? 1 : replicas;
    }

    public TemplateMetadata getMetadata() {
        return metadata;
    }

    public void setMetadata(TemplateMetadata metadata) {
        this.metadata = metadata;
    }

    public PodSpec getSpec() {
        return spec;
    }

    public void setSpec(PodSpec spec) {
        this.spec = spec;
    }
}
