package io.daskkubernetes.local.network;

import java.util.List;

/** The network of one pod: its address and how to run a program inside it. */
public interface PodSandbox extends AutoCloseable {

    String podIp();

    /**
     * Words to put before a command so that it runs in the pod's network (empty on the host
     * network).
     */
    List<String> commandPrefix();

    /** Removes the pod's network; called once no process of the pod is left. */
    @Override
    void close();
}
