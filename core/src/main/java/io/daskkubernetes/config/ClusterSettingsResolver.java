package io.daskkubernetes.config;

import io.daskkubernetes.model.AffinityMode;
import io.daskkubernetes.model.ClusterName;
import io.daskkubernetes.model.ClusterSettings;
import io.daskkubernetes.model.DashboardLink;
import io.daskkubernetes.model.DaskDuration;
import io.daskkubernetes.model.DeployMode;
import io.daskkubernetes.model.EnvironmentExpansion;
import io.daskkubernetes.model.KubernetesNames;
import io.daskkubernetes.model.LintFinding;
import io.daskkubernetes.model.LintResult;
import io.daskkubernetes.model.ObjectTemplates;
import io.daskkubernetes.model.PodTemplates;
import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.model.SpecLint;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The one place where the settings of a classic cluster are decided. Precedence, highest first:
 * what the caller sets here (library arguments and command-line flags alike), {@code DASK_*}
 * variables, configuration files, then classic's defaults (the last three are {@link DaskConfig}'s
 * layers). Resolving reads the worker template file, lints the template and checks every value, so
 * that a bad setting is reported, naming where it was set, before anything is created.
 *
 * <p>The process's environment, login and home directory are read only as defaults of this
 * resolver; tests and other callers pass their own.
 */
public final class ClusterSettingsResolver {

    public static final String ARGUMENT_SOURCE = "ClusterSettingsResolver";

    private final DaskConfig config;
    private Pod workerTemplate;
    private Pod schedulerTemplate;
    private String nameTemplate;
    private String namespace;
    private Integer workers;
    private Map<String, String> env;
    private DeployMode deployMode;
    private String serviceType;
    private Duration idleTimeout;
    private AffinityMode affinityMode;
    private Boolean podDisruptionBudget;
    private String user;
    private Map<String, String> environment = System.getenv();
    private Supplier<String> uuid = () -> UUID.randomUUID().toString().substring(0, 10);
    private String home = System.getProperty("user.home");
    private String systemUser = System.getProperty("user.name", "dask");

    private ClusterSettingsResolver(DaskConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null; pass DaskConfig.load()");
        }
        this.config = config;
    }

    public ClusterSettingsResolver workerTemplate(Pod workerTemplate) {
        this.workerTemplate = workerTemplate;
        return this;
    }

    public ClusterSettingsResolver schedulerTemplate(Pod schedulerTemplate) {
        this.schedulerTemplate = schedulerTemplate;
        return this;
    }

    /** A name template like kubernetes.name ("dask-{user}-{uuid}") or a plain name. */
    public ClusterSettingsResolver name(String template) {
        this.nameTemplate = template;
        return this;
    }

    public ClusterSettingsResolver namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    /** Workers to start with (kubernetes.count.start). */
    public ClusterSettingsResolver workers(int workers) {
        this.workers = workers;
        return this;
    }

    public ClusterSettingsResolver env(Map<String, String> env) {
        this.env = new LinkedHashMap<>(env);
        return this;
    }

    public ClusterSettingsResolver deployMode(DeployMode deployMode) {
        this.deployMode = deployMode;
        return this;
    }

    public ClusterSettingsResolver serviceType(String serviceType) {
        this.serviceType = serviceType;
        return this;
    }

    public ClusterSettingsResolver idleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        return this;
    }

    public ClusterSettingsResolver affinityMode(AffinityMode affinityMode) {
        this.affinityMode = affinityMode;
        return this;
    }

    public ClusterSettingsResolver podDisruptionBudget(boolean podDisruptionBudget) {
        this.podDisruptionBudget = podDisruptionBudget;
        return this;
    }

    /**
     * The login for {user} and the user label; by default from LOGNAME/USER as Python's getpass.
     */
    public ClusterSettingsResolver user(String user) {
        this.user = user;
        return this;
    }

    /** Environment for {VAR} in names and $VAR in template files; the process's by default. */
    public ClusterSettingsResolver environment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /** Source of {uuid}; tests fix it to get stable names. */
    public ClusterSettingsResolver uuid(Supplier<String> uuid) {
        this.uuid = uuid;
        return this;
    }

    /** The home directory for {@code ~} in {@code kubernetes.worker-template-path}. */
    public ClusterSettingsResolver home(String directory) {
        this.home = directory;
        return this;
    }

    /** Resolves and checks every setting; nothing has been created when this throws. */
    public ClusterSettings resolve() {
        try {
            return resolveChecked();
        } catch (ConfigException e) {
            throw new SpecException(e.source(), e.key(), e.problem(), e.fix(), e);
        }
    }

    private ClusterSettings resolveChecked() {
        String login = ClusterName.escape(user != null ? user : loginName());
        String name =
                nameTemplate != null
                        ? ClusterName.resolve(
                                nameTemplate, login, uuid.get(), environment, ARGUMENT_SOURCE)
                        : ClusterName.resolve(
                                config.getString(ClusterName.CONFIG_KEY),
                                login,
                                uuid.get(),
                                environment,
                                config.origin(ClusterName.CONFIG_KEY));
        int start = countStart();
        LintResult lint = lintedWorkerTemplate();
        Service serviceTemplate = serviceTemplate();
        return new ClusterSettings(
                name,
                login,
                Optional.ofNullable(namespace()),
                lint.repaired(),
                Optional.ofNullable(schedulerTemplate()),
                serviceTemplate,
                pdbTemplate(),
                start,
                countMax(start),
                env(),
                deployMode(),
                serviceType(serviceTemplate),
                Optional.ofNullable(idleTimeout()),
                waitTimeout(),
                affinityMode(),
                dashboardLinkTemplate(),
                podDisruptionBudget == null || podDisruptionBudget,
                lint.findings());
    }

    private String dashboardLinkTemplate() {
        String template = config.getString(DashboardLink.CONFIG_KEY);
        return template == null ? DashboardLink.DEFAULT_TEMPLATE : template;
    }

    private Service serviceTemplate() {
        String key = "kubernetes.scheduler-service-template";
        return ObjectTemplates.service(
                expanded(config.getMap(key)), config.origin(key) + " (" + key + ")");
    }

    private PodDisruptionBudget pdbTemplate() {
        String key = "kubernetes.scheduler-pdb-template";
        return ObjectTemplates.podDisruptionBudget(
                expanded(config.getMap(key)), config.origin(key) + " (" + key + ")");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> expanded(Map<String, Object> map) {
        return (Map<String, Object>) EnvironmentExpansion.expandAll(map, environment);
    }

    private String namespace() {
        if (namespace != null) {
            return checkNamespace(namespace, ARGUMENT_SOURCE);
        }
        String configured = config.getString("kubernetes.namespace");
        return configured == null
                ? null
                : checkNamespace(configured, config.origin("kubernetes.namespace"));
    }

    private static String checkNamespace(String value, String source) {
        if (!KubernetesNames.isDnsLabel(value)) {
            throw new SpecException(
                    source,
                    "kubernetes.namespace",
                    "\"" + value + "\" is not a valid namespace",
                    "use lower-case letters, digits and '-', at most 63 characters, or null for the current namespace");
        }
        return value;
    }

    private int countStart() {
        if (workers != null) {
            if (workers < 0) {
                throw new SpecException(
                        ARGUMENT_SOURCE,
                        "workers",
                        workers + " is negative",
                        "use 0 or more workers");
            }
            return workers;
        }
        Integer start = config.getInteger("kubernetes.count.start");
        if (start == null) {
            return 0;
        }
        if (start < 0) {
            throw new SpecException(
                    config.origin("kubernetes.count.start"),
                    "kubernetes.count.start",
                    start + " is negative",
                    "use 0 or more workers");
        }
        return start;
    }

    private OptionalInt countMax(int start) {
        Integer max = config.getInteger("kubernetes.count.max");
        if (max == null) {
            return OptionalInt.empty();
        }
        String source = config.origin("kubernetes.count.max");
        if (max < 0) {
            throw new SpecException(
                    source,
                    "kubernetes.count.max",
                    max + " is negative",
                    "use 0 or more, or null for no maximum");
        }
        if (start > max) {
            throw new SpecException(
                    source,
                    "kubernetes.count.max",
                    "is " + max + ", below the " + start + " workers to start with",
                    "raise kubernetes.count.max or start fewer workers");
        }
        return OptionalInt.of(max);
    }

    private LintResult lintedWorkerTemplate() {
        Pod template;
        String source;
        if (workerTemplate != null) {
            source = "worker template";
            template = PodTemplates.fromPod(workerTemplate, source);
        } else if (config.get("kubernetes.worker-template-path").isPresent()) {
            String path = config.getString("kubernetes.worker-template-path");
            Path file = Path.of(expandHome(EnvironmentExpansion.expand(path, environment)));
            source = file.toString();
            template = PodTemplateFiles.read(file, environment);
        } else if (!config.getMap("kubernetes.worker-template").isEmpty()) {
            source = config.origin("kubernetes.worker-template") + " (kubernetes.worker-template)";
            @SuppressWarnings("unchecked")
            Map<String, Object> map =
                    (Map<String, Object>)
                            EnvironmentExpansion.expandAll(
                                    config.getMap("kubernetes.worker-template"), environment);
            template = PodTemplates.fromMap(map, source);
        } else {
            throw new SpecException(
                    config.origin("kubernetes.worker-template-path"),
                    "kubernetes.worker-template-path",
                    "no worker pod template is given",
                    "pass one (workerTemplate(...), --spec FILE) or set kubernetes.worker-template-path or kubernetes.worker-template");
        }
        LintResult lint = SpecLint.check(template, source);
        if (lint.hasErrors()) {
            LintFinding first = lint.errors().get(0);
            int split = first.message().lastIndexOf("; ");
            throw new SpecException(
                    source,
                    first.fieldPath(),
                    split < 0 ? first.message() : first.message().substring(0, split),
                    split < 0 ? "fix the template" : first.message().substring(split + 2));
        }
        return lint;
    }

    private Pod schedulerTemplate() {
        if (schedulerTemplate != null) {
            return PodTemplates.fromPod(schedulerTemplate, "scheduler template");
        }
        Map<String, Object> configured = config.getMap("kubernetes.scheduler-template");
        if (configured.isEmpty()) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map =
                (Map<String, Object>) EnvironmentExpansion.expandAll(configured, environment);
        return PodTemplates.fromMap(
                map,
                config.origin("kubernetes.scheduler-template")
                        + " (kubernetes.scheduler-template)");
    }

    private Map<String, String> env() {
        if (env != null) {
            return Map.copyOf(env);
        }
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, Object> entry : config.getMap("kubernetes.env").entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Map || value instanceof List) {
                throw new SpecException(
                        config.origin("kubernetes.env"),
                        "kubernetes.env." + entry.getKey(),
                        "is a "
                                + (value instanceof Map ? "mapping" : "list")
                                + ", not a single value",
                        "give each variable a string value");
            }
            result.put(entry.getKey(), value == null ? "" : pythonString(value));
        }
        return Map.copyOf(result);
    }

    /** str(value) in Python: True/False/None, as classic's V1EnvVar(value=str(v)) did. */
    private static String pythonString(Object value) {
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return value.toString();
    }

    private DeployMode deployMode() {
        return deployMode != null
                ? deployMode
                : DeployMode.parse(
                        config.getString(DeployMode.CONFIG_KEY),
                        config.origin(DeployMode.CONFIG_KEY));
    }

    private AffinityMode affinityMode() {
        return affinityMode != null
                ? affinityMode
                : AffinityMode.parse(
                        config.getString(AffinityMode.CONFIG_KEY),
                        config.origin(AffinityMode.CONFIG_KEY));
    }

    /**
     * An explicit type wins; else the type in {@code kubernetes.scheduler-service-template}, as
     * classic's {@code if template.spec.type is None} did; else {@code
     * kubernetes.scheduler-service-type}; else ClusterIP.
     */
    private String serviceType(Service template) {
        if (serviceType != null) {
            return checkServiceType(serviceType, ARGUMENT_SOURCE);
        }
        String key = "kubernetes.scheduler-service-template";
        if (template.getSpec() != null && template.getSpec().getType() != null) {
            return checkServiceType(template.getSpec().getType(), config.origin(key));
        }
        String configured = config.getString("kubernetes.scheduler-service-type");
        return configured == null
                ? "ClusterIP"
                : checkServiceType(configured, config.origin("kubernetes.scheduler-service-type"));
    }

    private static String checkServiceType(String value, String source) {
        if (!ClusterSettings.SERVICE_TYPES.contains(value)) {
            throw new SpecException(
                    source,
                    "kubernetes.scheduler-service-type",
                    "\"" + value + "\" is not a Service type",
                    "use ClusterIP, NodePort or LoadBalancer");
        }
        return value;
    }

    private Duration idleTimeout() {
        if (idleTimeout != null) {
            if (idleTimeout.isNegative()) {
                throw new SpecException(
                        ARGUMENT_SOURCE,
                        "idleTimeout",
                        idleTimeout + " is negative",
                        "use a positive duration");
            }
            return idleTimeout;
        }
        return duration(
                "kubernetes.idle-timeout",
                "use seconds (300) or a duration such as \"5 minutes\", or null for none");
    }

    private Duration waitTimeout() {
        Duration wait =
                duration(
                        "kubernetes.scheduler-service-wait-timeout",
                        "use seconds, such as 30; 0 waits for ever");
        return wait == null ? Duration.ZERO : wait;
    }

    private Duration duration(String key, String fix) {
        Optional<Object> value = config.get(key);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return DaskDuration.parse(value.get());
        } catch (IllegalArgumentException e) {
            throw new SpecException(config.origin(key), key, e.getMessage(), fix, e);
        }
    }

    private String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return home + path.substring(1);
        }
        return path;
    }

    /** Python's getpass.getuser(): LOGNAME, USER, LNAME, USERNAME, then the JVM's user.name. */
    private String loginName() {
        for (String variable : List.of("LOGNAME", "USER", "LNAME", "USERNAME")) {
            String value = environment.get(variable);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return systemUser;
    }

    public static ClusterSettingsResolver of(DaskConfig config) {
        return new ClusterSettingsResolver(config);
    }
}
