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
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.cluster")
@AdditionalPrinterColumn(
        name = "Desired",
        jsonPath = ".spec.worker.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Workers",
        jsonPath = ".status.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class DaskWorkerGroup extends CustomResource<DaskWorkerGroupSpec, DaskWorkerGroupStatus>
        implements Namespaced {}
