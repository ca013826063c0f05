package io.daskkubernetes.model;

/** The labels every object of a cluster carries, as classic dask-kubernetes set them. */
public final class DaskLabels {

    public static final String APP = "app";
    public static final String APP_VALUE = "dask";
    public static final String CLUSTER_NAME = "dask.org/cluster-name";
    public static final String COMPONENT = "dask.org/component";
    public static final String COMPONENT_SCHEDULER = "scheduler";
    public static final String COMPONENT_WORKER = "worker";
    public static final String COMPONENT_CLUSTER = "cluster";
    public static final String USER = "user";

    private DaskLabels() {}
}
