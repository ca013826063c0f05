package io.daskkubernetes.config;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daskkubernetes.model.YamlTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dask-compatible configuration, immutable. Layers, later ones winning: the defaults of classic
 * dask-kubernetes, YAML files (/etc/dask, ~/.config/dask, $DASK_CONFIG), {@code DASK_*} environment
 * variables, then explicit values given with {@link #with}. Keys are dotted paths into nested maps;
 * {@code -} and {@code _} are the same, and {@code kubernetes.worker-name} (the older spelling) is
 * {@code kubernetes.name}. Each value remembers where it came from, so that errors can name the
 * file or variable to fix.
 */
public final class DaskConfig {

    public static final String DEFAULTS_SOURCE = "dask-kubernetes defaults";
    public static final String EXPLICIT_SOURCE = "explicit argument";

    private static final String NAME_KEY = "kubernetes.name";
    private static final String OLD_NAME_KEY = "kubernetes.worker-name";

    private final Map<String, Object> tree;

    /** normalised dotted key (all '-') -> where its value came from */
    private final Map<String, String> origins;

    private DaskConfig(Map<String, Object> tree, Map<String, String> origins) {
        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) YamlTrees.freeze(tree);
        this.tree = frozen;
        this.origins = Map.copyOf(origins);
    }

    /** What Dask would see in this process: defaults, the usual files, this environment. */
    public static DaskConfig load() {
        return load(ConfigSources.system());
    }

    public static DaskConfig load(ConfigSources sources) {
        Map<String, Object> tree = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();
        apply(tree, origins, defaults(), DEFAULTS_SOURCE);
        for (YamlConfigFiles.ConfigFile file : YamlConfigFiles.read(sources.paths())) {
            apply(tree, origins, file.content(), file.path().toString());
        }
        Map<String, String> envOrigins = new HashMap<>();
        Map<String, Object> fromEnv = EnvironmentConfig.collect(sources.env(), envOrigins);
        renameOldNameKey(fromEnv);
        ConfigTree.merge(tree, fromEnv);
        envOrigins.forEach((key, origin) -> origins.put(normalise(aliasOf(key)), origin));
        return new DaskConfig(tree, origins);
    }

    /** Only the built-in defaults, nothing from files or the environment. */
    public static DaskConfig defaultsOnly() {
        return load(ConfigSources.of(List.of(), Map.of()));
    }

    /** A copy with one value set on top of everything else, as an explicit argument. */
    public DaskConfig with(String dottedKey, Object value) {
        String key = aliasOf(dottedKey);
        Map<String, Object> copy = mutableTree();
        ConfigTree.put(copy, ConfigTree.split(key), value);
        Map<String, String> newOrigins = new HashMap<>(origins);
        String prefix = normalise(key);
        newOrigins.keySet().removeIf(k -> k.equals(prefix) || k.startsWith(prefix + "."));
        newOrigins.put(prefix, EXPLICIT_SOURCE);
        return new DaskConfig(copy, newOrigins);
    }

    /** The value at the key: empty when the key is absent or its value is null. */
    public Optional<Object> get(String dottedKey) {
        boolean[] found = new boolean[1];
        Object value = ConfigTree.get(tree, ConfigTree.split(aliasOf(dottedKey)), found);
        return Optional.ofNullable(value);
    }

    public boolean contains(String dottedKey) {
        boolean[] found = new boolean[1];
        ConfigTree.get(tree, ConfigTree.split(aliasOf(dottedKey)), found);
        return found[0];
    }

    /** The value as a string (numbers and booleans as written), null when null or absent. */
    public String getString(String dottedKey) {
        Object value = get(dottedKey).orElse(null);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw wrongType(
                    dottedKey, value, "a string", "write a single value such as \"ClusterIP\"");
        }
        return value.toString();
    }

    /** The value as an integer, null when null or absent. */
    public Integer getInteger(String dottedKey) {
        Object value = get(dottedKey).orElse(null);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.valueOf(s.strip());
            } catch (NumberFormatException notAnInteger) {
                // reported below with the key and where it was set
            }
        }
        throw wrongType(dottedKey, value, "a whole number", "write an integer such as 10, or null");
    }

    /** The value as a map; an absent or null value is an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String dottedKey) {
        Object value = get(dottedKey).orElse(null);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw wrongType(dottedKey, value, "a mapping", "write nested keys, or {} for none");
        }
        return (Map<String, Object>) value;
    }

    /** The whole configuration as unmodifiable nested maps. */
    public Map<String, Object> asMap() {
        return tree;
    }

    /**
     * Where the value at this key was set: a file path, an environment variable, the defaults or an
     * explicit argument.
     */
    public String origin(String dottedKey) {
        String key = normalise(aliasOf(dottedKey));
        while (true) {
            String origin = origins.get(key);
            if (origin != null) {
                return origin;
            }
            int dot = key.lastIndexOf('.');
            if (dot < 0) {
                return DEFAULTS_SOURCE;
            }
            key = key.substring(0, dot);
        }
    }

    /**
     * Every leaf key under {@code prefix} (dotted, '-' for '_') that a file, a variable or an
     * explicit argument set, with where it was set; the built-in defaults are left out.
     */
    public Map<String, String> keysSetByUser(String prefix) {
        Map<String, String> keys = new TreeMap<>();
        String normalisedPrefix = normalise(prefix) + ".";
        origins.forEach(
                (key, origin) -> {
                    if (key.startsWith(normalisedPrefix) && !DEFAULTS_SOURCE.equals(origin)) {
                        keys.put(key, origin);
                    }
                });
        return keys;
    }

    private ConfigException wrongType(String dottedKey, Object value, String expected, String fix) {
        return new ConfigException(
                origin(dottedKey), aliasOf(dottedKey), "\"" + value + "\" is not " + expected, fix);
    }

    private Map<String, Object> mutableTree() {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) YamlTrees.copy(tree);
        return copy;
    }

    private static void apply(
            Map<String, Object> tree,
            Map<String, String> origins,
            Map<String, Object> layer,
            String source) {
        renameOldNameKey(layer);
        ConfigTree.merge(tree, layer);
        for (String leaf : ConfigTree.leafKeys(layer, "")) {
            origins.put(normalise(leaf), source);
        }
    }

    /**
     * A layer that sets the old kubernetes.worker-name sets kubernetes.name, unless it sets both.
     */
    private static void renameOldNameKey(Map<String, Object> layer) {
        boolean[] found = new boolean[1];
        Object oldName = ConfigTree.get(layer, ConfigTree.split(OLD_NAME_KEY), found);
        if (!found[0]) {
            return;
        }
        ConfigTree.remove(layer, ConfigTree.split(OLD_NAME_KEY));
        boolean[] hasName = new boolean[1];
        ConfigTree.get(layer, ConfigTree.split(NAME_KEY), hasName);
        if (!hasName[0]) {
            ConfigTree.put(layer, ConfigTree.split(NAME_KEY), oldName);
        }
    }

    private static String aliasOf(String dottedKey) {
        return normalise(dottedKey).equals(OLD_NAME_KEY) ? NAME_KEY : dottedKey;
    }

    private static String normalise(String dottedKey) {
        return dottedKey.replace('_', '-');
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> defaults() {
        try (InputStream in = DaskConfig.class.getResourceAsStream("defaults.yaml")) {
            if (in == null) {
                throw new IllegalStateException(
                        "defaults.yaml is missing from the dask-kubernetes jar; rebuild it");
            }
            return (Map<String, Object>) YamlTrees.copy(new YAMLMapper().readValue(in, Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in defaults.yaml", e);
        }
    }

    @Override
    public String toString() {
        return "DaskConfig" + tree;
    }
}
