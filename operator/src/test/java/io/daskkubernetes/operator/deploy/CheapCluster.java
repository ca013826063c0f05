package io.daskkubernetes.operator.deploy;

import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.client.utils.Serialization;

/** A DaskCluster whose pods only sleep: for tests of who acts and what is counted, not of Dask. */
final class CheapCluster {

    private CheapCluster() {}

    static DaskCluster of(String name, int workers) {
        String yaml =
                """
                apiVersion: kubernetes.dask.org/v1
                kind: DaskCluster
                metadata:
                  name: %1$s
                  namespace: default
                spec:
                  worker:
                    replicas: %2$d
                    spec:
                      containers:
                        - name: worker
                          image: none
                          command: [sleep, "600"]
                  scheduler:
                    spec:
                      containers:
                        - name: scheduler
                          image: none
                          command: [sleep, "600"]
                    service:
                      selector:
                        dask.org/cluster-name: %1$s
                        dask.org/component: scheduler
                      ports:
                        - name: tcp-comm
                          port: 8786
                          targetPort: 8786
                """
                        .formatted(name, workers);
        return Serialization.unmarshal(yaml, DaskCluster.class);
    }
}
