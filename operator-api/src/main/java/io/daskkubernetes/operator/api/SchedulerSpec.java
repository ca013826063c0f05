package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceSpec;

/** {@code spec.scheduler} of a DaskCluster: the scheduler's pod and its Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchedulerSpec {

    private TemplateMetadata metadata;

    @Required private PodSpec spec;

    @Required private ServiceSpec service;

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

    public ServiceSpec getService() {
        return service;
    }

    public void setService(ServiceSpec service) {
        this.service = service;
    }
}
