package io.daskkubernetes.operator.client;

import io.daskkubernetes.model.SpecException;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few arguments of Python's {@code make_worker_spec}: an image, resources, environment
 * variables and the worker command. The operator's DaskCluster and DaskWorkerGroup pods are made
 * from it by {@link OperatorManifests}.
 *
 * @param image the container image (the local runtime ignores it)
 * @param resources requests and limits of the container, or null for none
 * @param env environment variables of the container, in order
 * @param command the worker program and its own arguments, such as {@code [dask-worker]}
 */
public record WorkerTemplate(
        String image,
        ResourceRequirements resources,
        Map<String, String> env,
        List<String> command) {

    /** Upstream's default image. */
    public static final String DEFAULT_IMAGE = "ghcr.io/dask/dask:latest";

    public static final List<String> DEFAULT_COMMAND = List.of("dask-worker");

    private static final String SOURCE = "operator cluster";

    public WorkerTemplate {
        if (image == null || image.isBlank()) {
            throw new SpecException(
                    SOURCE, "image", "is empty", "name an image, such as " + DEFAULT_IMAGE);
        }
        if (command == null || command.isEmpty() || command.get(0).isBlank()) {
            throw new SpecException(
                    SOURCE,
                    "worker command",
                    "is empty",
                    "name the worker program, such as dask-worker");
        }
        env =
                env == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        for (String name : env.keySet()) {
            if (name == null || name.isBlank() || name.contains("=")) {
                throw new SpecException(
                        SOURCE,
                        "env",
                        "has the variable name \"" + name + "\"",
                        "use names without '=', such as EXTRA_PIP_PACKAGES");
            }
        }
        command = List.copyOf(command);
    }

    /** Upstream's defaults: its image, no resources, no env, {@code dask-worker}. */
    public static WorkerTemplate defaults() {
        return new WorkerTemplate(DEFAULT_IMAGE, null, Map.of(), DEFAULT_COMMAND);
    }

    /**
     * A worker command given as one string, split on spaces as upstream does ({@code "dask-worker
     * --nthreads 2"}).
     */
    public static List<String> splitCommand(String command) {
        return command == null ? List.of() : List.of(command.strip().split("\\s+"));
    }

    public WorkerTemplate withImage(String newImage) {
        return new WorkerTemplate(newImage, resources, env, command);
    }

    public WorkerTemplate withResources(ResourceRequirements newResources) {
        return new WorkerTemplate(image, newResources, env, command);
    }

    public WorkerTemplate withEnv(Map<String, String> newEnv) {
        return new WorkerTemplate(image, resources, newEnv, command);
    }

    public WorkerTemplate withCommand(List<String> newCommand) {
        return new WorkerTemplate(image, resources, env, newCommand);
    }
}
