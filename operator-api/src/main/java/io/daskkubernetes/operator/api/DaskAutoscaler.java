package io.daskkubernetes.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Adaptive scaling of a DaskCluster's worker group (the default one unless {@code spec.workerGroup}
 * names another) between two bounds; {@code status} tells what it last decided and why.
 */
@Group(DaskCluster.GROUP)
@Version(DaskCluster.VERSION)
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.cluster")
@AdditionalPrinterColumn(
        name = "Minimum",
        jsonPath = ".spec.minimum",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Maximum",
        jsonPath = ".spec.maximum",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class DaskAutoscaler extends CustomResource<DaskAutoscalerSpec, DaskAutoscalerStatus>
        implements Namespaced {}
