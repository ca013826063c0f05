package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.PodSpec;

/** {@code spec.job} of a DaskJob: the runner pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobRunnerSpec {

    private TemplateMetadata metadata;

    @Required private PodSpec spec;

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
