package io.daskkubernetes.model;

import java.util.Locale;

/**
 * Classic {@code apply_default_affinity}: whether pods prefer, require or ignore nodes labelled
 * {@code k8s.dask.org/node-purpose=<worker|scheduler>}.
 */
public enum AffinityMode {
    PREFERRED,
    REQUIRED,
    NONE;

    public static final String CONFIG_KEY = "kubernetes.apply-default-affinity";

    /**
     * Reads classic's words: "preferred"/"prefer", "required"/"require", "none"/"ignore"; null
     * means preferred.
     */
    public static AffinityMode parse(String configValue) {
        return parse(configValue, "dask configuration");
    }

    /** As {@link #parse(String)}; {@code source} is where the value came from, for the error. */
    public static AffinityMode parse(String configValue, String source) {
        if (configValue == null) {
            return PREFERRED;
        }
        return switch (configValue.strip().toLowerCase(Locale.ROOT)) {
            case "preferred", "prefer" -> PREFERRED;
            case "required", "require" -> REQUIRED;
            case "none", "ignore", "false" -> NONE;
            default ->
                    throw new SpecException(
                            source,
                            CONFIG_KEY,
                            "\"" + configValue + "\" is not an affinity mode",
                            "use preferred, required or none");
        };
    }
}
