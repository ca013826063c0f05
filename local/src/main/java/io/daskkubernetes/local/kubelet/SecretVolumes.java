package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret volumes, as far as a kubelet without container filesystems can give them: the Secret's
 * keys (or its {@code items}) are written as files, with {@code defaultMode} or the item's mode
 * (0644 by default, as Kubernetes), to a directory of the pod that goes with it; and since a
 * process sees the machine's filesystem, not one with the volume at its {@code mountPath}, the
 * mount path is replaced by that directory in the container's command, args and environment values.
 * A program that builds the path some other way will not find the files. A missing Secret keeps the
 * container waiting, as Kubernetes does, unless the volume is {@code optional}.
 */
final class SecretVolumes {

    private static final int DEFAULT_MODE = 0644;

    private final KubernetesClient client;

    SecretVolumes(KubernetesClient client) {
        this.client = client;
    }

    /** Where the container's secret volumes were written: mount path to directory. */
    record Mounts(Map<String, Path> directories) {

        static final Mounts NONE = new Mounts(Map.of());

        /** These mounts and {@code directory} at {@code mountPath}, unless a volume is there. */
        Mounts with(String mountPath, Path directory) {
            if (directories.containsKey(mountPath)) {
                return this;
            }
            Map<String, Path> more = new LinkedHashMap<>(directories);
            more.put(mountPath, directory);
            return new Mounts(more);
        }

        /** Each word with the mount paths in it replaced by their directories. */
        List<String> rewrite(List<String> words) {
            List<String> rewritten = new ArrayList<>(words.size());
            words.forEach(word -> rewritten.add(rewrite(word)));
            return rewritten;
        }

        /** The environment with the mount paths in its values replaced by their directories. */
        Map<String, String> rewrite(Map<String, String> environment) {
            Map<String, String> rewritten = new LinkedHashMap<>();
            environment.forEach(
                    (name, value) -> rewritten.put(name, value == null ? null : rewrite(value)));
            return rewritten;
        }

        /** A mount path only where it is a whole path or a path's start, not inside a word. */
        String rewrite(String word) {
            String result = word;
            for (Map.Entry<String, Path> mount : directories.entrySet()) {
                Pattern path =
                        Pattern.compile(
                                "(?<![A-Za-z0-9._/-])"
                                        + Pattern.quote(trimSlash(mount.getKey()))
                                        + "(?=/|$|[^A-Za-z0-9._-])");
                result =
                        path.matcher(result)
                                .replaceAll(Matcher.quoteReplacement(mount.getValue().toString()));
            }
            return result;
        }
    }

    /**
     * Writes the Secret volumes {@code container} mounts under {@code podDirectory}/volumes.
     *
     * @throws ContainerConfigException when a Secret or one of its items is missing
     */
    Mounts project(Pod pod, Container container, Path podDirectory) {
        if (container.getVolumeMounts() == null || pod.getSpec().getVolumes() == null) {
            return Mounts.NONE;
        }
        Map<String, Volume> volumes = new LinkedHashMap<>();
        pod.getSpec().getVolumes().forEach(volume -> volumes.put(volume.getName(), volume));
        Map<String, Path> directories = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = volumes.get(mount.getName());
            if (volume == null || volume.getSecret() == null || mount.getMountPath() == null) {
                continue;
            }
            Path directory = podDirectory.resolve("volumes").resolve(volume.getName());
            Map<String, String> files = files(pod, volume.getName(), volume.getSecret());
            if (files == null) {
                continue; // an optional Secret that does not exist: an empty volume
            }
            write(directory, files, volume.getSecret());
            String subPath = mount.getSubPath();
            directories.put(
                    mount.getMountPath(),
                    subPath == null || subPath.isEmpty() ? directory : directory.resolve(subPath));
        }
        return new Mounts(directories);
    }

    /** Path in the volume to content, or {@code null} for a missing optional Secret. */
    private Map<String, String> files(Pod pod, String volumeName, SecretVolumeSource source) {
        String namespace = pod.getMetadata().getNamespace();
        Secret secret =
                client.secrets().inNamespace(namespace).withName(source.getSecretName()).get();
        boolean optional = Boolean.TRUE.equals(source.getOptional());
        if (secret == null) {
            if (optional) {
                return null;
            }
            throw new ContainerConfigException(
                    "CreateContainerConfigError",
                    "MountVolume.SetUp failed for volume \""
                            + volumeName
                            + "\" : secret \""
                            + source.getSecretName()
                            + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData()
                    .forEach(
                            (key, value) ->
                                    data.put(
                                            key,
                                            value.getBytes(
                                                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        Map<String, String> files = new LinkedHashMap<>();
        if (source.getItems() == null || source.getItems().isEmpty()) {
            data.forEach((key, value) -> files.put(key, key));
        } else {
            for (KeyToPath item : source.getItems()) {
                if (!data.containsKey(item.getKey()) && !optional) {
                    throw new ContainerConfigException(
                            "CreateContainerConfigError",
                            "MountVolume.SetUp failed for volume \""
                                    + volumeName
                                    + "\" : references non-existent secret key: "
                                    + item.getKey());
                }
                files.put(item.getPath(), item.getKey());
            }
        }
        // path -> key resolved to path -> content, kept as Base64 so that binary keys survive
        Map<String, String> contents = new LinkedHashMap<>();
        files.forEach(
                (path, key) -> {
                    byte[] value = data.get(key);
                    if (value != null) {
                        contents.put(path, Base64.getEncoder().encodeToString(value));
                    }
                });
        return contents;
    }

    private static void write(
            Path directory, Map<String, String> contents, SecretVolumeSource source) {
        int defaultMode = source.getDefaultMode() == null ? DEFAULT_MODE : source.getDefaultMode();
        Map<String, Integer> modes = new LinkedHashMap<>();
        if (source.getItems() != null) {
            source.getItems().forEach(item -> modes.put(item.getPath(), item.getMode()));
        }
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, permissions(0755));
            for (Map.Entry<String, String> file : contents.entrySet()) {
                Path target = directory.resolve(file.getKey()).normalize();
                if (!target.startsWith(directory)) {
                    throw new ContainerConfigException(
                            "CreateContainerConfigError",
                            "secret volume path \"" + file.getKey() + "\" leaves the volume");
                }
                Files.createDirectories(target.getParent());
                Path temporary = Files.createTempFile(target.getParent(), ".secret", ".tmp");
                Files.write(temporary, Base64.getDecoder().decode(file.getValue()));
                Integer mode = modes.get(file.getKey());
                Files.setPosixFilePermissions(
                        temporary, permissions(mode == null ? defaultMode : mode));
                Files.move(
                        temporary,
                        target,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secret volume " + directory, e);
        }
    }

    /** An octal mode such as 0644 as POSIX permissions (the file type bits are ignored). */
    static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE
        };
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << (8 - bit))) != 0) {
                permissions.add(order[bit]);
            }
        }
        return permissions;
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/")
                ? path.substring(0, path.length() - 1)
                : path;
    }
}
