package io.daskkubernetes.operator.client;

import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.model.ClusterName;
import io.daskkubernetes.model.DaskDuration;
import io.daskkubernetes.model.SpecException;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The operator-era KubeCluster's keys of Dask's configuration ({@code kubernetes.name}, {@code
 * image}, {@code resources}, {@code env}, {@code worker-command}, {@code resource-timeout}, {@code
 * scheduler-service-type}), each overridden by the caller's explicit value when given.
 */
final class OperatorClusterSettings {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final DaskConfig config;
    private final Map<String, String> environment;

    OperatorClusterSettings(DaskConfig config, Map<String, String> environment) {
        this.config = config;
        this.environment = environment;
    }

    /**
     * The name given, or {@code kubernetes.name} ("dask-{user}-{uuid}"); a name with {@code
     * {user}}, {@code {uuid}} or an environment variable in braces is formatted as upstream does.
     */
    String name(String explicit) {
        String name;
        if (explicit != null && !explicit.contains("{")) {
            name = explicit;
        } else {
            String login = ClusterName.escape(loginName());
            String uuid = UUID.randomUUID().toString().substring(0, 10);
            name =
                    explicit != null
                            ? ClusterName.resolve(
                                    explicit, login, uuid, environment, DaskConfig.EXPLICIT_SOURCE)
                            : ClusterName.resolve(
                                    config.getString(ClusterName.CONFIG_KEY),
                                    login,
                                    uuid,
                                    environment,
                                    config.origin(ClusterName.CONFIG_KEY));
        }
        OperatorManifests.requireClusterName(name);
        return name;
    }

    String namespace(String explicit) {
        return explicit != null ? explicit : config.getString("kubernetes.namespace");
    }

    WorkerTemplate template(
            String image,
            ResourceRequirements resources,
            Map<String, String> env,
            List<String> command) {
        String configuredImage = config.getString("kubernetes.image");
        List<String> configuredCommand =
                WorkerTemplate.splitCommand(config.getString("kubernetes.worker-command"));
        return new WorkerTemplate(
                image != null
                        ? image
                        : configuredImage != null ? configuredImage : WorkerTemplate.DEFAULT_IMAGE,
                resources != null ? resources : configuredResources(),
                env != null ? env : configuredEnv(),
                command != null
                        ? command
                        : configuredCommand.isEmpty()
                                ? WorkerTemplate.DEFAULT_COMMAND
                                : configuredCommand);
    }

    String serviceType(String explicit) {
        return explicit != null ? explicit : config.getString("kubernetes.scheduler-service-type");
    }

    /** How long the operator may take to answer: {@code kubernetes.resource-timeout}, 60 s. */
    Duration resourceTimeout(Duration explicit) {
        if (explicit != null) {
            return explicit;
        }
        Object configured = config.get("kubernetes.resource-timeout").orElse(60);
        try {
            return DaskDuration.parse(configured);
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    config.origin("kubernetes.resource-timeout"),
                    "kubernetes.resource-timeout",
                    e.getMessage(),
                    "use seconds (60) or a duration such as \"2 minutes\"",
                    e);
        }
    }

    private ResourceRequirements configuredResources() {
        Map<String, Object> resources = config.getMap("kubernetes.resources");
        if (resources.isEmpty()) {
            return null;
        }
        try {
            return SERIALIZATION.convertValue(resources, ResourceRequirements.class);
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    config.origin("kubernetes.resources"),
                    "kubernetes.resources",
                    "is not a container's resources: " + e.getMessage(),
                    "write requests and limits, such as {limits: {memory: 4G}}",
                    e);
        }
    }

    private Map<String, String> configuredEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        config.getMap("kubernetes.env").forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private String loginName() {
        for (String variable : List.of("LOGNAME", "USER", "LNAME", "USERNAME")) {
            String value = environment.get(variable);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return System.getProperty("user.name", "dask");
    }
}
