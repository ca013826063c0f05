package io.daskkubernetes.local;

/** How the local runtime connects pods. */
public enum PodNetworkMode {
    /** {@link #NAMESPACES} when the JVM runs as root, {@link #HOST} otherwise. */
    AUTO,
    /**
     * Each pod in its own network namespace with its own IP on a bridge (needs root and iproute2):
     * two pods can listen on the same port, and service names resolve inside pods.
     */
    NAMESPACES,
    /**
     * Pods share the machine's network: pod IPs and cluster IPs are 127.0.0.1 and a port clash
     * fails the pod. Service names resolve (to 127.0.0.1) through a hosts file per pod, mounted
     * over /etc/hosts in an unprivileged user namespace; where those are disabled, they do not, and
     * the runtime says so at start.
     */
    HOST
}
