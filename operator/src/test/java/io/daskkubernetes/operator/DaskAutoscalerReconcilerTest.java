package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.operator.api.DaskAutoscalerSpec;
import org.junit.jupiter.api.Test;

class DaskAutoscalerReconcilerTest {

    @Test
    void aSpecThatCannotBeFollowedIsExplainedNamingTheFieldAndTheFix() {
        assertThat(DaskAutoscalerReconciler.invalid(spec("simple", 3, 1)))
                .hasValue("spec.minimum 3 is above spec.maximum 1; set minimum <= maximum");
        assertThat(DaskAutoscalerReconciler.invalid(spec(" ", 1, 2)))
                .hasValue("spec.cluster is missing; name the DaskCluster to scale");
        assertThat(DaskAutoscalerReconciler.invalid(spec("simple", null, 2)))
                .hasValueSatisfying(m -> assertThat(m).contains("spec.minimum", "spec.maximum"));
        assertThat(DaskAutoscalerReconciler.invalid(spec("simple", 1, 5))).isEmpty();
        assertThat(DaskAutoscalerReconciler.invalid(spec("simple", 0, 0))).isEmpty();
    }

    private static DaskAutoscalerSpec spec(String cluster, Integer minimum, Integer maximum) {
        DaskAutoscalerSpec spec = new DaskAutoscalerSpec();
        spec.setCluster(cluster);
        spec.setMinimum(minimum);
        spec.setMaximum(maximum);
        return spec;
    }
}
