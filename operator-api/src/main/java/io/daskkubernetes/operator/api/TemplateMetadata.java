package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code metadata} of a scheduler or worker template: labels and annotations given to the pods
 * (and Services) made from it. Upstream accepts any object here; only these two keys are acted on.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TemplateMetadata {

    private Map<String, String> labels = new LinkedHashMap<>();
    private Map<String, String> annotations = new LinkedHashMap<>();

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels == null ? new LinkedHashMap<>() : labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations == null ? new LinkedHashMap<>() : annotations;
    }
}
