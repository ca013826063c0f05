package io.daskkubernetes.model;

import java.util.Locale;

/**
 * Where the scheduler runs: in a pod of the cluster (remote) or as a child process of this JVM
 * (local).
 */
public enum DeployMode {
    REMOTE,
    LOCAL;

    public static final String CONFIG_KEY = "kubernetes.deploy-mode";

    /** Reads kubernetes.deploy-mode; null means remote, classic's default. */
    public static DeployMode parse(String configValue) {
        return parse(configValue, "dask configuration");
    }

    /** As {@link #parse(String)}; {@code source} is where the value came from, for the error. */
    public static DeployMode parse(String configValue, String source) {
        if (configValue == null) {
            return REMOTE;
        }
        return switch (configValue.strip().toLowerCase(Locale.ROOT)) {
            case "remote" -> REMOTE;
            case "local" -> LOCAL;
            default ->
                    throw new SpecException(
                            source,
                            CONFIG_KEY,
                            "\"" + configValue + "\" is not a deploy mode",
                            "use remote or local");
        };
    }
}
