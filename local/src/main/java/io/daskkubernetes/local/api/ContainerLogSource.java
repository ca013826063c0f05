package io.daskkubernetes.local.api;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Where the API server finds a container's output for {@code pods/log}: the kubelet keeps it. */
public interface ContainerLogSource {

    /**
     * The log of one run of a container.
     *
     * @param container the container name, or null to mean "the only container of the pod"
     * @param previous the run before the current one (after a restart)
     * @throws LogRequestException when there is no such log, with the HTTP code and message to
     *     answer
     */
    ContainerLog find(String namespace, String pod, String container, boolean previous);

    /**
     * A log file and whether its container may still write to it (a follow request waits for more
     * while true).
     */
    record ContainerLog(Path file, BooleanSupplier stillWriting) {}

    /** Used before the kubelet starts, or by an API server without kubelet. */
    ContainerLogSource NONE =
            (namespace, pod, container, previous) -> {
                throw new LogRequestException(
                        400,
                        "container in pod \"" + pod + "\" is waiting to start: ContainerCreating");
            };
}
