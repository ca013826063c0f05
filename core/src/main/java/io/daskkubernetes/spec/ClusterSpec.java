package io.daskkubernetes.spec;

import io.daskkubernetes.config.ConfigException;
import io.daskkubernetes.config.DaskConfig;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The validated settings of one cluster, immutable: what the {@code kubernetes.*} configuration
 * says, overridden by what the caller set on the {@link Builder}. Building it resolves the name,
 * reads and lints the worker template and checks every value, so that a bad setting is reported
 * before anything is created.
 */
public final class ClusterSpec {

    static final String BUILDER_SOURCE = "ClusterSpec.builder()";
    static final Set<String> SERVICE_TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer");

    private final String name;
    private final String user;
    private final String namespace;
    private final Pod workerTemplate;
    private final Pod schedulerTemplate;
    private final int countStart;
    private final Integer countMax;
    private final Map<String, String> env;
    private final DeployMode deployMode;
    private final String schedulerServiceType;
    private final Duration idleTimeout;
    private final Duration schedulerServiceWaitTimeout;
    private final AffinityMode affinityMode;
    private final String dashboardLinkTemplate;
    private final boolean podDisruptionBudget;
    private final List<LintFinding> findings;

    private ClusterSpec(
            Builder b,
            String name,
            String user,
            Pod workerTemplate,
            Pod schedulerTemplate,
            int countStart,
            Integer countMax,
            Map<String, String> env,
            DeployMode deployMode,
            String serviceType,
            Duration idleTimeout,
            Duration waitTimeout,
            AffinityMode affinityMode,
            String namespace,
            List<LintFinding> findings) {
        this.name = name;
        this.user = user;
        this.namespace = namespace;
        this.workerTemplate = workerTemplate;
        this.schedulerTemplate = schedulerTemplate;
        this.countStart = countStart;
        this.countMax = countMax;
        this.env = env;
        this.deployMode = deployMode;
        this.schedulerServiceType = serviceType;
        this.idleTimeout = idleTimeout;
        this.schedulerServiceWaitTimeout = waitTimeout;
        this.affinityMode = affinityMode;
        this.dashboardLinkTemplate = b.config.getString(DashboardLink.CONFIG_KEY);
        this.podDisruptionBudget = b.podDisruptionBudget == null || b.podDisruptionBudget;
        this.findings = List.copyOf(findings);
    }

    public static Builder builder(DaskConfig config) {
        return new Builder(config);
    }

    /**
     * The cluster's name: the base of every object's name and the value of dask.org/cluster-name.
     */
    public String name() {
        return name;
    }

    /** The login of whoever builds the cluster, escaped for a label value. */
    public String user() {
        return user;
    }

    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** The worker template after {@link SpecLint}'s repairs; a fresh copy each call. */
    public Pod workerTemplate() {
        return PodTemplates.fromPod(workerTemplate);
    }

    public Optional<Pod> schedulerTemplate() {
        return Optional.ofNullable(schedulerTemplate).map(PodTemplates::fromPod);
    }

    public int countStart() {
        return countStart;
    }

    public OptionalInt countMax() {
        return countMax == null ? OptionalInt.empty() : OptionalInt.of(countMax);
    }

    /** Extra environment for the Dask containers. */
    public Map<String, String> env() {
        return env;
    }

    public DeployMode deployMode() {
        return deployMode;
    }

    public String schedulerServiceType() {
        return schedulerServiceType;
    }

    public Optional<Duration> idleTimeout() {
        return Optional.ofNullable(idleTimeout);
    }

    /** How long to wait for the scheduler's Service; zero means for ever, as in classic. */
    public Duration schedulerServiceWaitTimeout() {
        return schedulerServiceWaitTimeout;
    }

    public AffinityMode affinityMode() {
        return affinityMode;
    }

    public String dashboardLinkTemplate() {
        return dashboardLinkTemplate;
    }

    /** Whether the scheduler gets a PodDisruptionBudget (classic made one in remote mode). */
    public boolean podDisruptionBudget() {
        return podDisruptionBudget;
    }

    /** What {@link SpecLint} found and repaired in the worker template. */
    public List<LintFinding> findings() {
        return findings;
    }

    public static final class Builder {
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

        private Builder(DaskConfig config) {
            if (config == null) {
                throw new IllegalArgumentException(
                        "config must not be null; pass DaskConfig.load()");
            }
            this.config = config;
        }

        public Builder workerTemplate(Pod workerTemplate) {
            this.workerTemplate = workerTemplate;
            return this;
        }

        public Builder schedulerTemplate(Pod schedulerTemplate) {
            this.schedulerTemplate = schedulerTemplate;
            return this;
        }

        /** A name template like kubernetes.name ("dask-{user}-{uuid}") or a plain name. */
        public Builder name(String template) {
            this.nameTemplate = template;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Workers to start with (kubernetes.count.start). */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env = new LinkedHashMap<>(env);
            return this;
        }

        public Builder deployMode(DeployMode deployMode) {
            this.deployMode = deployMode;
            return this;
        }

        public Builder serviceType(String serviceType) {
            this.serviceType = serviceType;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder affinityMode(AffinityMode affinityMode) {
            this.affinityMode = affinityMode;
            return this;
        }

        public Builder podDisruptionBudget(boolean podDisruptionBudget) {
            this.podDisruptionBudget = podDisruptionBudget;
            return this;
        }

        /**
         * The login for {user} and the user label; by default from LOGNAME/USER as Python's
         * getpass.
         */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Environment for {VAR} in names and $VAR in template files; the process's by default. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** Source of {uuid}; tests fix it to get stable names. */
        public Builder uuid(Supplier<String> uuid) {
            this.uuid = uuid;
            return this;
        }

        public ClusterSpec build() {
            try {
                return buildChecked();
            } catch (ConfigException e) {
                throw new SpecException(e.source(), e.key(), e.problem(), e.fix(), e);
            }
        }

        private ClusterSpec buildChecked() {
            String login = ClusterName.escape(user != null ? user : loginName());
            String name =
                    nameTemplate != null
                            ? ClusterName.resolve(
                                    nameTemplate, login, uuid.get(), environment, BUILDER_SOURCE)
                            : ClusterName.resolve(
                                    config.getString(ClusterName.CONFIG_KEY),
                                    login,
                                    uuid.get(),
                                    environment,
                                    config.origin(ClusterName.CONFIG_KEY));
            String resolvedNamespace = namespace();
            int start = countStart();
            Integer max = countMax(start);
            LintResult lint = lintedWorkerTemplate();
            Pod scheduler = schedulerTemplate();
            return new ClusterSpec(
                    this,
                    name,
                    login,
                    lint.repaired(),
                    scheduler,
                    start,
                    max,
                    env(),
                    deployMode(),
                    serviceType(),
                    idleTimeout(),
                    waitTimeout(),
                    affinityMode(),
                    resolvedNamespace,
                    lint.findings());
        }

        private String namespace() {
            if (namespace != null) {
                return checkNamespace(namespace, BUILDER_SOURCE);
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
                            BUILDER_SOURCE,
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

        private Integer countMax(int start) {
            Integer max = config.getInteger("kubernetes.count.max");
            if (max == null) {
                return null;
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
            return max;
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
                template = PodTemplates.fromYaml(file, environment);
            } else if (!config.getMap("kubernetes.worker-template").isEmpty()) {
                source =
                        config.origin("kubernetes.worker-template")
                                + " (kubernetes.worker-template)";
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

        private String serviceType() {
            String source =
                    serviceType != null
                            ? BUILDER_SOURCE
                            : config.origin("kubernetes.scheduler-service-type");
            String value =
                    serviceType != null
                            ? serviceType
                            : config.getString("kubernetes.scheduler-service-type");
            if (value == null) {
                return "ClusterIP";
            }
            if (!SERVICE_TYPES.contains(value)) {
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
                            BUILDER_SOURCE,
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
                return System.getProperty("user.home") + path.substring(1);
            }
            return path;
        }

        /** Python's getpass.getuser(): LOGNAME, USER, LNAME, USERNAME, then the JVM's user.name. */
        private String loginName() {
            for (String variable :
                    new ArrayList<>(List.of("LOGNAME", "USER", "LNAME", "USERNAME"))) {
                String value = environment.get(variable);
                if (value != null && !value.isEmpty()) {
                    return value;
                }
            }
            return System.getProperty("user.name", "dask");
        }
    }
}
