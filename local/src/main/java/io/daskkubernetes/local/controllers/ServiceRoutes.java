package io.daskkubernetes.local.controllers;

import io.daskkubernetes.local.network.ServiceRoute;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;

/**
 * The parts of a {@link ServiceRoute} that come from the Service itself, whoever found its targets:
 * the endpoints controller (from the pods its selector matches) or {@link SelectorlessRoutes} (from
 * the Endpoints object its owner writes).
 */
final class ServiceRoutes {

    private ServiceRoutes() {}

    /**
     * @param targetNumber the target port's number, null when the Service names a container port
     */
    static ServiceRoute.Port port(
            ServicePort port, Integer targetNumber, List<ServiceRoute.Target> targets) {
        return new ServiceRoute.Port(
                port.getName(),
                port.getPort(),
                port.getProtocol() == null ? "TCP" : port.getProtocol(),
                targetNumber,
                port.getNodePort(),
                targets);
    }

    /**
     * @param readyIps the addresses that get traffic
     */
    static ServiceRoute of(Service service, List<ServiceRoute.Port> ports, List<String> readyIps) {
        return new ServiceRoute(
                service.getMetadata().getNamespace(),
                service.getMetadata().getName(),
                service.getSpec().getClusterIP(),
                ports,
                readyIps);
    }
}
