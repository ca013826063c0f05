package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Who a container runs as, from {@code securityContext} (the container's over the pod's), as a
 * kubelet decides it: {@code runAsUser}, {@code runAsGroup} (else the user's primary group from the
 * host's /etc/passwd, the local runtime's "image", else 0), the pod's {@code supplementalGroups},
 * and {@code runAsNonRoot}. A runtime running as root switches to that user with util-linux's
 * {@code setpriv} just before the program starts; one that is not root cannot switch, and its
 * containers run as its own user.
 */
record ContainerUser(Long uid, long gid, List<Long> supplementalGroups) {

    private static final String SETPRIV = "/usr/bin/setpriv";

    /** The runtime's own (effective) uid: the owner of /proc/self. */
    static final long RUNTIME_UID = runtimeUid();

    /** Runs as the runtime's own user. */
    static final ContainerUser NO_SWITCH = new ContainerUser(null, 0, List.of());

    private static long runtimeUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot tell which user the runtime runs as", e);
        }
    }

    /** The user for {@code container}; {@code runtimeUid} is who the runtime runs as. */
    static ContainerUser of(Pod pod, Container container, long runtimeUid) {
        return of(pod, container, runtimeUid, null);
    }

    /**
     * The user for {@code container}, with {@code imageUser} (the image's USER, or null) where
     * neither the container nor the pod names one, as a container runtime does.
     */
    static ContainerUser of(Pod pod, Container container, long runtimeUid, Long imageUser) {
        PodSecurityContext podContext = pod.getSpec().getSecurityContext();
        SecurityContext context = container.getSecurityContext();
        Long uid =
                pick(
                        context == null ? null : context.getRunAsUser(),
                        podContext == null ? null : podContext.getRunAsUser());
        if (uid == null) {
            uid = imageUser;
        }
        Long gid =
                pick(
                        context == null ? null : context.getRunAsGroup(),
                        podContext == null ? null : podContext.getRunAsGroup());
        Boolean nonRoot =
                pick(
                        context == null ? null : context.getRunAsNonRoot(),
                        podContext == null ? null : podContext.getRunAsNonRoot());
        long effectiveUid = uid != null ? uid : runtimeUid;
        if (Boolean.TRUE.equals(nonRoot) && effectiveUid == 0) {
            throw new ContainerConfigException(
                    "CreateContainerConfigError",
                    uid == null
                            ? "container has runAsNonRoot and image will run as root (the local"
                                    + " runtime runs as root): set securityContext.runAsUser to a"
                                    + " non-zero uid"
                            : "container's runAsUser breaks non-root policy (pod: \""
                                    + pod.getMetadata().getName()
                                    + "\", container: "
                                    + container.getName()
                                    + ")");
        }
        if (uid != null && uid < 0 || gid != null && gid < 0) {
            throw new ContainerConfigException(
                    "CreateContainerConfigError",
                    "securityContext.runAsUser and runAsGroup must be 0 or more, not "
                            + (uid != null && uid < 0 ? uid : gid));
        }
        List<Long> supplemental =
                podContext == null || podContext.getSupplementalGroups() == null
                        ? List.of()
                        : List.copyOf(podContext.getSupplementalGroups());
        if (uid == null && gid == null && supplemental.isEmpty()) {
            return NO_SWITCH;
        }
        long effectiveGid = gid != null ? gid : primaryGroup(effectiveUid);
        return new ContainerUser(effectiveUid, effectiveGid, supplemental);
    }

    private static <T> T pick(T container, T pod) {
        return container != null ? container : pod;
    }

    /** The primary group of {@code uid} in /etc/passwd, or 0 (what a container runtime uses). */
    static long primaryGroup(long uid) {
        String[] entry = passwdEntry(uid);
        try {
            return entry == null ? 0 : Long.parseLong(entry[3]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The home directory of {@code uid} in /etc/passwd, or "/" (what a container runtime uses). */
    static String homeOf(long uid) {
        String[] entry = passwdEntry(uid);
        return entry == null || entry.length < 6 || entry[5].isEmpty() ? "/" : entry[5];
    }

    private static String[] passwdEntry(long uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":");
                if (fields.length > 3 && fields[2].equals(Long.toString(uid))) {
                    return fields;
                }
            }
        } catch (IOException e) {
            // No readable passwd: as a container without an entry for the user.
        }
        return null;
    }

    /** Whether the container runs as a user other than the runtime's own. */
    boolean switches() {
        return uid != null;
    }

    /**
     * The words that start the rest of the command line as this user: nothing when it need not
     * switch. setpriv execs the program, so it keeps the pid (and the process group).
     */
    List<String> commandPrefix() {
        if (!switches()) {
            return List.of();
        }
        List<String> words = new ArrayList<>();
        words.add(SETPRIV);
        words.add("--reuid=" + uid);
        words.add("--regid=" + gid);
        if (supplementalGroups.isEmpty()) {
            words.add("--clear-groups");
        } else {
            words.add(
                    "--groups="
                            + supplementalGroups.stream()
                                    .map(String::valueOf)
                                    .collect(Collectors.joining(",")));
        }
        words.add("--");
        return words;
    }
}
