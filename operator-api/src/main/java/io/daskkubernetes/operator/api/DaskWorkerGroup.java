package io.daskkubernetes.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A group of Dask workers of one pod shape, joining a DaskCluster's scheduler. */
@Group(DaskCluster.GROUP)
@Version(DaskCluster.VERSION)
@ShortNames("daskworkers")
// upstream's Workers (asked for) and Age, with the live worker pods and the cluster between them
@AdditionalPrinterColumn(
        name = "Workers",
        jsonPath = ".spec.worker.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Current",
        jsonPath = ".status.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.cluster")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class DaskWorkerGroup extends CustomResource<DaskWorkerGroupSpec, DaskWorkerGroupStatus>
        implements Namespaced {}
