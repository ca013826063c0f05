package io.daskkubernetes.ui;

/**
 * Which cluster: a classic one (its owner ConfigMap) or an operator-made DaskCluster.
 *
 * @param kind {@link #CLASSIC} or {@link #DASK_CLUSTER}
 */
public record ClusterKey(String kind, String namespace, String name) {

    public static final String CLASSIC = "classic";
    public static final String DASK_CLUSTER = "DaskCluster";

    public ClusterKey {
        if (!CLASSIC.equals(kind) && !DASK_CLUSTER.equals(kind)) {
            throw new IllegalArgumentException(
                    "kind: \"" + kind + "\"; use " + CLASSIC + " or " + DASK_CLUSTER);
        }
        if (namespace == null || namespace.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a cluster needs a namespace and a name");
        }
    }

    public boolean classic() {
        return CLASSIC.equals(kind);
    }
}
