package io.daskkubernetes.model.adapt;

import java.util.List;

/** What one round of adaptive scaling asks the cluster to do. */
public sealed interface AdaptiveDecision {

    /** Keep the current workers. */
    record Hold(int workers) implements AdaptiveDecision {}

    /** Grow to {@code workers} at once. */
    record ScaleUp(int workers) implements AdaptiveDecision {}

    /** Remove exactly these workers (pod names), which enough consecutive rounds have named. */
    record ScaleDown(List<String> workers) implements AdaptiveDecision {
        public ScaleDown {
            workers = List.copyOf(workers);
        }
    }
}
