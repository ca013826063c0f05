package io.daskkubernetes.local.api;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the API server fills in on a Service and the mock does not: type ClusterIP by default, a
 * cluster IP from the runtime's range, target ports, node ports, and for type LoadBalancer an
 * ingress at the cluster IP (reachable from this machine, like {@code minikube tunnel}).
 */
public final class ServiceAdmission {

    private static final int NODE_PORT_MIN = 30000;
    private static final int NODE_PORT_MAX = 32767;

    private final ClusterIpAllocator clusterIps;

    public ServiceAdmission(ClusterIpAllocator clusterIps) {
        this.clusterIps = clusterIps;
    }

    /**
     * Defaults and validates a new Service.
     *
     * @param existing the Services already stored in every namespace (their addresses and node
     *     ports are taken)
     */
    public Service admitCreate(Service service, List<Service> existing) {
        String name = service.getMetadata().getName();
        if (service.getSpec() == null) {
            throw invalid(name, "spec: Required value: a Service needs a spec with ports");
        }
        var spec = service.getSpec();
        if (spec.getType() == null || spec.getType().isEmpty()) {
            spec.setType("ClusterIP");
        }
        if (!Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
                .contains(spec.getType())) {
            throw invalid(
                    name,
                    "spec.type: Unsupported value: \""
                            + spec.getType()
                            + "\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
        }
        if (spec.getSessionAffinity() == null) {
            spec.setSessionAffinity("None");
        }
        validatePorts(name, spec.getPorts(), spec.getType());
        if (spec.getType().equals("ExternalName")) {
            return service;
        }
        assignClusterIp(service, existing);
        assignNodePorts(service, existing);
        if (spec.getType().equals("LoadBalancer") && !"None".equals(spec.getClusterIP())) {
            service.setStatus(
                    new ServiceStatusBuilder()
                            .withNewLoadBalancer()
                            .withIngress(
                                    new LoadBalancerIngressBuilder()
                                            .withIp(spec.getClusterIP())
                                            .withIpMode("VIP")
                                            .build())
                            .endLoadBalancer()
                            .build());
        }
        return service;
    }

    /** On replace, addresses the client left out are kept, as the API server does. */
    public Service admitUpdate(Service service, Service stored) {
        if (service.getSpec() == null || stored.getSpec() == null) {
            return service;
        }
        if (service.getSpec().getClusterIP() == null
                || service.getSpec().getClusterIP().isEmpty()) {
            service.getSpec().setClusterIP(stored.getSpec().getClusterIP());
            service.getSpec().setClusterIPs(stored.getSpec().getClusterIPs());
        } else if (!service.getSpec().getClusterIP().equals(stored.getSpec().getClusterIP())) {
            throw invalid(
                    service.getMetadata().getName(),
                    "spec.clusterIP: Invalid value: \""
                            + service.getSpec().getClusterIP()
                            + "\": field is immutable; delete and create the Service to change it");
        }
        if (service.getSpec().getType() == null) {
            service.getSpec().setType(stored.getSpec().getType());
        }
        if (service.getSpec().getPorts() != null && stored.getSpec().getPorts() != null) {
            for (ServicePort port : service.getSpec().getPorts()) {
                if (port.getTargetPort() == null) {
                    port.setTargetPort(new IntOrString(port.getPort()));
                }
                if (port.getProtocol() == null) {
                    port.setProtocol("TCP");
                }
            }
        }
        if (service.getStatus() == null) {
            service.setStatus(stored.getStatus());
        }
        return service;
    }

    private void validatePorts(String name, List<ServicePort> ports, String type) {
        if (ports == null || ports.isEmpty()) {
            if (type.equals("ExternalName")) {
                return;
            }
            throw invalid(name, "spec.ports: Required value: a Service needs at least one port");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            if (port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) {
                throw invalid(
                        name,
                        "spec.ports["
                                + i
                                + "].port: Invalid value: "
                                + port.getPort()
                                + ": must be between 1 and 65535, inclusive");
            }
            if (ports.size() > 1 && (port.getName() == null || port.getName().isEmpty())) {
                throw invalid(
                        name,
                        "spec.ports["
                                + i
                                + "].name: Required value: a Service with several ports must name "
                                + "each port");
            }
            if (port.getName() != null && !names.add(port.getName())) {
                throw invalid(
                        name,
                        "spec.ports[" + i + "].name: Duplicate value: \"" + port.getName() + "\"");
            }
            if (port.getProtocol() == null) {
                port.setProtocol("TCP");
            }
            if (port.getTargetPort() == null
                    || (port.getTargetPort().getIntVal() == null
                            && port.getTargetPort().getStrVal() == null)) {
                port.setTargetPort(new IntOrString(port.getPort()));
            }
        }
    }

    private void assignClusterIp(Service service, List<Service> existing) {
        var spec = service.getSpec();
        String name = service.getMetadata().getName();
        if ("None".equals(spec.getClusterIP())) {
            spec.setClusterIPs(List.of("None"));
            return;
        }
        Set<String> inUse = new HashSet<>();
        existing.stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getClusterIP() != null)
                .forEach(s -> inUse.add(s.getSpec().getClusterIP()));
        String requested = spec.getClusterIP();
        if (requested != null && !requested.isEmpty()) {
            if (!clusterIps.contains(requested)) {
                throw invalid(
                        name,
                        "spec.clusterIP: Invalid value: \""
                                + requested
                                + "\": provided IP is not in the "
                                + "valid range "
                                + clusterIps.rangeDescription()
                                + "; leave spec.clusterIP empty to get one");
            }
            if (!clusterIps.isLoopback() && inUse.contains(requested)) {
                throw invalid(
                        name,
                        "spec.clusterIP: Invalid value: \""
                                + requested
                                + "\": provided IP is already allocated; leave spec.clusterIP empty to get a free one");
            }
        } else {
            spec.setClusterIP(clusterIps.allocate(inUse));
        }
        spec.setClusterIPs(List.of(spec.getClusterIP()));
        spec.setIpFamilies(List.of("IPv4"));
        spec.setIpFamilyPolicy("SingleStack");
    }

    private static void assignNodePorts(Service service, List<Service> existing) {
        String type = service.getSpec().getType();
        if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
            return;
        }
        Set<Integer> taken = new HashSet<>();
        existing.stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getPorts() != null)
                .flatMap(s -> s.getSpec().getPorts().stream())
                .filter(p -> p.getNodePort() != null)
                .forEach(p -> taken.add(p.getNodePort()));
        int next = NODE_PORT_MIN;
        for (ServicePort port : service.getSpec().getPorts()) {
            if (port.getNodePort() != null) {
                if (port.getNodePort() < NODE_PORT_MIN || port.getNodePort() > NODE_PORT_MAX) {
                    throw invalid(
                            service.getMetadata().getName(),
                            "spec.ports.nodePort: Invalid value: "
                                    + port.getNodePort()
                                    + ": provided port is not in the valid range "
                                    + NODE_PORT_MIN
                                    + "-"
                                    + NODE_PORT_MAX);
                }
                taken.add(port.getNodePort());
                continue;
            }
            while (taken.contains(next)) {
                next++;
            }
            if (next > NODE_PORT_MAX) {
                throw invalid(
                        service.getMetadata().getName(),
                        "spec.ports.nodePort: no free node port left");
            }
            port.setNodePort(next);
            taken.add(next);
        }
    }

    private static AdmissionException invalid(String service, String message) {
        return new AdmissionException("Service \"" + service + "\" is invalid: " + message);
    }
}
