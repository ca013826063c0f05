package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classic dask-kubernetes' {@code make_pod_spec}: a worker pod from a few arguments. The pod has
 * one container {@code dask-container} running {@code dask-worker $(DASK_SCHEDULER_ADDRESS)
 * --nthreads N --death-timeout 60} (plus {@code --memory-limit} and {@code --resources} when
 * given), restartPolicy Never, the default worker tolerations, and the extra container and pod
 * configuration deep-merged.
 */
public final class MakePodSpec {

    public static final String CONTAINER_NAME = "dask-container";
    static final String SOURCE = "make_pod_spec";

    private MakePodSpec() {}

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String image;
        private int threadsPerWorker = 1;
        private String memoryLimit;
        private String memoryRequest;
        private String cpuLimit;
        private String cpuRequest;
        private Integer gpuLimit;
        private String workerResources;
        private Map<String, String> env = Map.of();
        private Map<String, String> labels = Map.of();
        private Map<String, String> annotations = Map.of();
        private Map<String, Object> extraContainerConfig = Map.of();
        private Map<String, Object> extraPodConfig = Map.of();

        private Builder() {}

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder threadsPerWorker(int threadsPerWorker) {
            this.threadsPerWorker = threadsPerWorker;
            return this;
        }

        /** Both the container's memory limit and dask-worker's --memory-limit, e.g. "6G". */
        public Builder memoryLimit(String memoryLimit) {
            this.memoryLimit = memoryLimit;
            return this;
        }

        public Builder memoryRequest(String memoryRequest) {
            this.memoryRequest = memoryRequest;
            return this;
        }

        public Builder cpuLimit(String cpuLimit) {
            this.cpuLimit = cpuLimit;
            return this;
        }

        public Builder cpuRequest(String cpuRequest) {
            this.cpuRequest = cpuRequest;
            return this;
        }

        /** nvidia.com/gpu limit. */
        public Builder gpuLimit(int gpuLimit) {
            this.gpuLimit = gpuLimit;
            return this;
        }

        /** dask-worker --resources, classic's {@code resources} argument, e.g. "GPU=2 MEM=10e9". */
        public Builder resources(String workerResources) {
            this.workerResources = workerResources;
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = Map.copyOf(labels);
            return this;
        }

        public Builder annotations(Map<String, String> annotations) {
            this.annotations = Map.copyOf(annotations);
            return this;
        }

        /**
         * Merged into the container, in Kubernetes' spelling: maps merged, lists appended, values
         * replaced.
         */
        public Builder extraContainerConfig(Map<String, Object> extraContainerConfig) {
            this.extraContainerConfig = extraContainerConfig;
            return this;
        }

        /**
         * Merged into the pod's spec, in Kubernetes' spelling: maps merged, lists appended, values
         * replaced.
         */
        public Builder extraPodConfig(Map<String, Object> extraPodConfig) {
            this.extraPodConfig = extraPodConfig;
            return this;
        }

        public Pod build() {
            if (image == null || image.isBlank()) {
                throw new SpecException(
                        SOURCE,
                        "image",
                        "is missing",
                        "pass an image that has Dask installed, such as ghcr.io/dask/dask:latest");
            }
            if (threadsPerWorker < 1) {
                throw new SpecException(
                        SOURCE,
                        "threadsPerWorker",
                        threadsPerWorker + " is less than 1",
                        "use 1 or more threads");
            }
            if (gpuLimit != null && gpuLimit < 0) {
                throw new SpecException(
                        SOURCE, "gpuLimit", gpuLimit + " is negative", "use 0 or more GPUs");
            }
            Map<String, Object> container = DeepMerge.merge(container(), extraContainerConfig);
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("restartPolicy", "Never");
            spec.put("containers", List.of(container));
            spec.put("tolerations", DefaultScheduling.tolerationMaps("worker"));
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("labels", new LinkedHashMap<>(labels));
            metadata.put("annotations", new LinkedHashMap<>(annotations));
            Map<String, Object> pod = new LinkedHashMap<>();
            pod.put("apiVersion", "v1");
            pod.put("kind", "Pod");
            pod.put("metadata", metadata);
            pod.put("spec", DeepMerge.merge(spec, extraPodConfig));
            return PodTemplates.fromMap(pod, SOURCE);
        }

        private Map<String, Object> container() {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "dask-worker",
                                    "$(DASK_SCHEDULER_ADDRESS)",
                                    "--nthreads",
                                    Integer.toString(threadsPerWorker),
                                    "--death-timeout",
                                    "60"));
            if (memoryLimit != null) {
                args.addAll(List.of("--memory-limit", memoryLimit));
            }
            if (workerResources != null) {
                args.addAll(List.of("--resources", workerResources));
            }
            Map<String, Object> limits = new LinkedHashMap<>();
            Map<String, Object> requests = new LinkedHashMap<>();
            putIfSet(requests, "cpu", cpuRequest);
            putIfSet(requests, "memory", memoryRequest);
            putIfSet(limits, "cpu", cpuLimit);
            putIfSet(limits, "nvidia.com/gpu", gpuLimit == null ? null : gpuLimit.toString());
            putIfSet(limits, "memory", memoryLimit);
            List<Map<String, Object>> envList = new ArrayList<>();
            env.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> envList.add(Map.of("name", e.getKey(), "value", e.getValue())));
            Map<String, Object> container = new LinkedHashMap<>();
            container.put("name", CONTAINER_NAME);
            container.put("image", image);
            container.put("args", args);
            container.put("env", envList);
            container.put("resources", Map.of("limits", limits, "requests", requests));
            return container;
        }

        private static void putIfSet(Map<String, Object> map, String key, String value) {
            if (value != null) {
                map.put(key, value);
            }
        }
    }
}
