package io.daskkubernetes.operator.api;

/** {@code status} of a DaskWorkerGroup: its live workers, their selector and conditions. */
public class DaskWorkerGroupStatus extends ReplicaStatus {}
