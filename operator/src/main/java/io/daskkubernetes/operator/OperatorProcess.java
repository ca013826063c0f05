package io.daskkubernetes.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.OptionalInt;

/**
 * The operator as a process runs it: the operator with its meters in a Prometheus registry, and,
 * when a port is given, {@code /healthz}, {@code /readyz} and {@code /metrics} on it. Closing stops
 * reconciling (and hands the Lease on) before the endpoints go.
 */
public final class OperatorProcess implements AutoCloseable {

    private final DaskOperator operator;
    private final OperatorHttpEndpoints endpoints;
    private final PrometheusMeterRegistry registry;

    private OperatorProcess(
            DaskOperator operator,
            OperatorHttpEndpoints endpoints,
            PrometheusMeterRegistry registry) {
        this.operator = operator;
        this.endpoints = endpoints;
        this.registry = registry;
    }

    /**
     * @param httpPort where to serve the probes and metrics (0 for a free port), empty for nowhere
     */
    public static OperatorProcess start(
            KubernetesClient client, OperatorSettings settings, OptionalInt httpPort) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DaskOperator operator = DaskOperator.start(client, settings.meteredBy(registry));
        if (httpPort.isEmpty()) {
            return new OperatorProcess(operator, null, registry);
        }
        try {
            OperatorHttpEndpoints endpoints =
                    OperatorHttpEndpoints.start(
                            httpPort.getAsInt(),
                            operator::health,
                            operator::readiness,
                            () -> {
                                operator.refreshGauges();
                                return registry.scrape();
                            });
            return new OperatorProcess(operator, endpoints, registry);
        } catch (RuntimeException e) {
            operator.close();
            throw e;
        }
    }

    public DaskOperator operator() {
        return operator;
    }

    /** The port of /healthz, /readyz and /metrics; -1 when they are not served. */
    public int httpPort() {
        return endpoints == null ? -1 : endpoints.port();
    }

    /** The metrics as Prometheus would scrape them. */
    public String scrape() {
        operator.refreshGauges();
        return registry.scrape();
    }

    @Override
    public void close() {
        try {
            operator.close();
        } finally {
            if (endpoints != null) {
                endpoints.close();
            }
            registry.close();
        }
    }
}
