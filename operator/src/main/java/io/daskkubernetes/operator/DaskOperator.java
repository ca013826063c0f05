package io.daskkubernetes.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dask operator: the DaskCluster and DaskWorkerGroup reconcilers on one JOSDK {@link Operator},
 * watching all namespaces or the ones given. Server-side apply is off (JOSDK patches with JSON
 * merge patches), so that it runs against the local runtime as against a real API server.
 */
public final class DaskOperator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaskOperator.class);

    private final Operator operator;
    private final SchedulerConnections schedulers = new SchedulerConnections();

    private DaskOperator(KubernetesClient client, Set<String> namespaces) {
        this.operator =
                new Operator(
                        o ->
                                o.withKubernetesClient(client)
                                        .withCloseClientOnStop(false)
                                        .withUseSSAToPatchPrimaryResource(false)
                                        .withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.register(new DaskClusterReconciler(), c -> watch(c, namespaces));
        operator.register(new DaskWorkerGroupReconciler(schedulers), c -> watch(c, namespaces));
    }

    /**
     * Starts the operator.
     *
     * @param namespaces where to watch; empty for all namespaces
     * @param installCrds install (or update) the CRDs first; otherwise they must be there
     * @throws IllegalStateException when the CRDs are missing and not to be installed
     */
    public static DaskOperator start(
            KubernetesClient client, Set<String> namespaces, boolean installCrds) {
        if (installCrds) {
            CustomResourceDefinitions.install(client);
        } else {
            List<String> missing = CustomResourceDefinitions.missing(client);
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "the cluster lacks the CRDs "
                                + missing
                                + "; install them with kubectl apply -f deploy/crds/, or let the"
                                + " operator do it with --install-crds");
            }
        }
        DaskOperator dask = new DaskOperator(client, namespaces);
        dask.operator.start();
        LOG.info(
                "Dask operator running, watching {}",
                namespaces.isEmpty() ? "all namespaces" : "namespaces " + namespaces);
        return dask;
    }

    private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void watch(
            io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<R> config,
            Set<String> namespaces) {
        if (namespaces.isEmpty()) {
            config.watchingAllNamespaces();
        } else {
            config.settingNamespaces(namespaces);
        }
    }

    @Override
    public void close() {
        operator.stop();
        schedulers.close();
    }
}
