package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** {@code spec.cluster} of a DaskJob: the DaskCluster made for the job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobClusterSpec {

    private TemplateMetadata metadata;

    @Required private DaskClusterSpec spec;

    public TemplateMetadata getMetadata() {
        return metadata;
    }

    public void setMetadata(TemplateMetadata metadata) {
        this.metadata = metadata;
    }

    public DaskClusterSpec getSpec() {
        return spec;
    }

    public void setSpec(DaskClusterSpec spec) {
        this.spec = spec;
    }
}
