package io.daskkubernetes.local.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a command its own /etc/hosts without root: {@code unshare} makes an unprivileged user
 * namespace (the caller is root inside it, and only inside it) with a mount namespace, a shell
 * bind-mounts the pod's hosts file over /etc/hosts there, and then execs the command. Every step
 * execs rather than forks, so the command keeps the pid the kubelet started, and the mount is seen
 * by that process tree only.
 */
final class HostsFileMount {

    private static final Logger LOG = LoggerFactory.getLogger(HostsFileMount.class);
    private static final String UNSHARE = firstExisting("/usr/bin/unshare", "/bin/unshare");
    private static final String SHELL = "/bin/sh";

    /**
     * Absolute, because the shell runs with the container's environment, whose PATH may lack it.
     */
    private static final String MOUNT = firstExisting("/usr/bin/mount", "/bin/mount");

    private static final String BIND_THEN_EXEC =
            MOUNT + " --bind \"$1\" /etc/hosts && shift && exec \"$@\"";
    private static final long PROBE_TIMEOUT_SECONDS = 10;

    private HostsFileMount() {}

    /**
     * The first of {@code paths} that exists (util-linux is in /bin on systems without a merged
     * /usr), else the first.
     */
    private static String firstExisting(String... paths) {
        for (String path : paths) {
            if (Files.isExecutable(Path.of(path))) {
                return path;
            }
        }
        return paths[0];
    }

    /**
     * Words to put before a command so that it runs with {@code hostsFile} as its /etc/hosts;
     * {@code userNamespace} when the runtime is not root (see {@link #NEEDS_USER_NAMESPACE}).
     */
    static List<String> commandPrefix(Path hostsFile, boolean userNamespace) {
        List<String> words = new ArrayList<>();
        words.add(UNSHARE);
        if (userNamespace) {
            words.add("--user");
            words.add("--map-root-user");
        }
        words.addAll(List.of("--mount", SHELL, "-c", BIND_THEN_EXEC, "sh", hostsFile.toString()));
        return words;
    }

    /**
     * Whether a mount namespace needs an unprivileged user namespace: without root it does; root
     * needs none and must not get one, since in it only uid 0 exists and a container could not
     * switch to its securityContext's user.
     */
    static final boolean NEEDS_USER_NAMESPACE = !runsAsRoot();

    private static boolean runsAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Runs the very command line pods get, with {@code true} as the program, once: unshare may be
     * missing, unprivileged user namespaces disabled (sysctl) or stripped of their rights
     * (AppArmor), and each of these fails here. Empty when it works, else what went wrong.
     */
    static Optional<String> whyUnavailable(Path probeHostsFile) {
        return whyUnavailable(probeHostsFile, NEEDS_USER_NAMESPACE);
    }

    static Optional<String> whyUnavailable(Path probeHostsFile, boolean userNamespace) {
        List<String> command = new ArrayList<>(commandPrefix(probeHostsFile, userNamespace));
        command.add("/bin/true");
        try {
            Files.writeString(probeHostsFile, "127.0.0.1\tlocalhost\n");
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!probe.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return Optional.of(
                        String.join(" ", command)
                                + " did not finish in "
                                + PROBE_TIMEOUT_SECONDS
                                + " s");
            }
            String output =
                    new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .trim();
            return probe.exitValue() == 0
                    ? Optional.empty()
                    : Optional.of(
                            "exit code "
                                    + probe.exitValue()
                                    + (output.isEmpty() ? "" : ": " + output));
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            try {
                Files.deleteIfExists(probeHostsFile);
            } catch (IOException e) {
                LOG.warn("cannot remove {}", probeHostsFile, e);
            }
        }
    }
}
