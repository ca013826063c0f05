package io.daskkubernetes.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The variables every container starts with before its pod's env: a container image would bring its
 * own PATH and HOME; here they come from the JVM's environment. /usr/bin goes first in PATH so that
 * {@code python3} and {@code dask-worker} are the system's, not an interpreter a developer's PATH
 * prefers; then the runtime's {@link ImageCommands} (such as {@code python}), then the JVM's PATH.
 */
final class ContainerBaseEnvironment {

    /**
     * Marks every process of a runtime, so that leftovers can be found (and tests can prove there
     * are none).
     */
    static final String RUNTIME_VARIABLE = "LOCAL_KUBERNETES_RUNTIME";

    private static final String[] INHERITED = {"HOME", "LANG", "LC_ALL", "USER", "LOGNAME"};

    private ContainerBaseEnvironment() {}

    static Map<String, String> of(Map<String, String> jvmEnvironment, String runtimeId) {
        return of(jvmEnvironment, runtimeId, Optional.empty());
    }

    static Map<String, String> of(
            Map<String, String> jvmEnvironment, String runtimeId, Optional<Path> imageCommands) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", path(jvmEnvironment.get("PATH"), imageCommands));
        for (String name : INHERITED) {
            String value = jvmEnvironment.get(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.put(RUNTIME_VARIABLE, runtimeId);
        return environment;
    }

    private static String path(String jvmPath, Optional<Path> imageCommands) {
        Set<String> directories = new LinkedHashSet<>();
        directories.add("/usr/bin");
        directories.add("/bin");
        imageCommands.ifPresent(directory -> directories.add(directory.toString()));
        if (jvmPath != null) {
            for (String directory : jvmPath.split(":")) {
                if (!directory.isEmpty()) {
                    directories.add(directory);
                }
            }
        }
        directories.add("/usr/sbin");
        directories.add("/sbin");
        return String.join(":", directories);
    }
}
