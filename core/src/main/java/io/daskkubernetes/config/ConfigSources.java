package io.daskkubernetes.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where configuration comes from: YAML files or directories (later ones win) and the environment
 * whose {@code DASK_*} variables override them. Tests pass explicit ones; {@link #system()} gives
 * the locations Dask itself reads.
 */
public record ConfigSources(List<Path> paths, Map<String, String> env) {

    public ConfigSources {
        paths = List.copyOf(paths);
        env = Map.copyOf(env);
    }

    public static ConfigSources of(List<Path> paths, Map<String, String> env) {
        return new ConfigSources(paths, env);
    }

    /** Dask's search path: /etc/dask (or $DASK_ROOT_CONFIG), ~/.config/dask, then $DASK_CONFIG. */
    public static ConfigSources system() {
        Map<String, String> env = System.getenv();
        List<Path> paths = new ArrayList<>();
        paths.add(Path.of(env.getOrDefault("DASK_ROOT_CONFIG", "/etc/dask")));
        paths.add(Path.of(System.getProperty("user.home"), ".config", "dask"));
        String daskConfig = env.get("DASK_CONFIG");
        if (daskConfig != null && !daskConfig.isBlank()) {
            paths.add(Path.of(daskConfig));
        }
        return new ConfigSources(paths, env);
    }
}
