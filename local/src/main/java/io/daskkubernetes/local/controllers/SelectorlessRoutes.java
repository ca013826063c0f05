package io.daskkubernetes.local.controllers;

import io.daskkubernetes.local.network.ServiceRoute;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The route of a Service without a selector: its ports lead to the addresses of the Endpoints
 * object of the same name, matched by port name as kube-proxy matches them (an unnamed Service port
 * matches an unnamed endpoint port). Not-ready addresses get no traffic.
 */
final class SelectorlessRoutes {

    private SelectorlessRoutes() {}

    static ServiceRoute route(Service service, Endpoints endpoints) {
        List<ServiceRoute.Port> ports = new ArrayList<>();
        Set<String> ready = new LinkedHashSet<>();
        for (ServicePort port : service.getSpec().getPorts()) {
            List<ServiceRoute.Target> targets = new ArrayList<>();
            for (EndpointSubset subset : subsets(endpoints)) {
                for (EndpointPort endpointPort : listOrEmpty(subset.getPorts())) {
                    if (!Objects.equals(
                            blankToNull(endpointPort.getName()), blankToNull(port.getName()))) {
                        continue;
                    }
                    for (EndpointAddress address : listOrEmpty(subset.getAddresses())) {
                        targets.add(
                                new ServiceRoute.Target(address.getIp(), endpointPort.getPort()));
                        ready.add(address.getIp());
                    }
                }
            }
            Integer targetNumber =
                    port.getTargetPort() == null || port.getTargetPort().getIntVal() == null
                            ? port.getPort()
                            : port.getTargetPort().getIntVal();
            ports.add(ServiceRoutes.port(port, targetNumber, targets));
        }
        return ServiceRoutes.of(service, ports, List.copyOf(ready));
    }

    private static List<EndpointSubset> subsets(Endpoints endpoints) {
        return listOrEmpty(endpoints.getSubsets());
    }

    private static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String blankToNull(String name) {
        return name == null || name.isBlank() ? null : name;
    }
}
