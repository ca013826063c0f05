package io.daskkubernetes.local.network;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Pods on the machine's own network, for runs without root: every pod is at 127.0.0.1, so two pods cannot
 * listen on the same port; a pod whose declared container port is taken fails at once, saying which.
 */
public final class HostNetwork implements PodNetwork {

  private static final String LOOPBACK = "127.0.0.1";

  @Override
  public String hostIp() {
    return LOOPBACK;
  }

  @Override
  public PodSandbox createSandbox(Pod pod) {
    for (Container container : allContainers(pod)) {
      if (container.getPorts() == null) {
        continue;
      }
      for (ContainerPort port : container.getPorts()) {
        if (port.getContainerPort() != null && !"UDP".equals(port.getProtocol()) && !isFree(port.getContainerPort())) {
          throw new SandboxException("PortInUse", "port " + port.getContainerPort() + " of container "
              + container.getName() + " is already in use on the host network, which all pods share without root "
              + "(run as root for a network per pod, or free the port)");
        }
      }
    }
    return new PodSandbox() {
      @Override
      public String podIp() {
        return LOOPBACK;
      }

      @Override
      public List<String> commandPrefix() {
        return List.of();
      }

      @Override
      public void close() {
        // Nothing was made for this pod.
      }
    };
  }

  private static List<Container> allContainers(Pod pod) {
    List<Container> containers = new java.util.ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      containers.addAll(pod.getSpec().getInitContainers());
    }
    return containers;
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void updateServiceNames(ServiceNames names) {
    // Pods share the machine's /etc/hosts, which the runtime does not edit.
  }

  @Override
  public void close() {
    // Nothing to remove.
  }
}
