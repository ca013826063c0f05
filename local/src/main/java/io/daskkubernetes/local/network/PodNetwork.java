package io.daskkubernetes.local.network;

import io.fabric8.kubernetes.api.model.Pod;

/** Gives each pod a place on the network (a sandbox) and tells the host's address. */
public interface PodNetwork extends AutoCloseable {

    /** The node's address as pods and Services see it ({@code status.hostIP}). */
    String hostIp();

    /**
     * Prepares the network of a new pod.
     *
     * @throws SandboxException when the pod cannot get a network, with the reason to report
     */
    PodSandbox createSandbox(Pod pod);

    /**
     * Publishes the current Service addresses to every pod (hosts files); a no-op without per-pod
     * files.
     */
    void updateServiceNames(ServiceNames names);

    /** Removes everything the network made. */
    @Override
    void close();
}
