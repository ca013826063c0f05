package io.daskkubernetes.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** A job: a runner pod with a DaskCluster of its own, deleted when the runner ends. */
@Group(DaskCluster.GROUP)
@Version(DaskCluster.VERSION)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.jobStatus")
@AdditionalPrinterColumn(
        name = "Number Of Workers",
        jsonPath = ".spec.cluster.spec.worker.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class DaskJob extends CustomResource<DaskJobSpec, DaskJobStatus> implements Namespaced {}
