package io.daskkubernetes.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Dask cluster: a scheduler, its Service and a default worker group. */
@Group(DaskCluster.GROUP)
@Version(DaskCluster.VERSION)
@ShortNames("dsk")
@AdditionalPrinterColumn(
        name = "Workers",
        jsonPath = ".spec.worker.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class DaskCluster extends CustomResource<DaskClusterSpec, DaskClusterStatus>
        implements Namespaced {

    public static final String GROUP = "kubernetes.dask.org";
    public static final String VERSION = "v1";
}
