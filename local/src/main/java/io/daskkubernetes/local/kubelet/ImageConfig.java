package io.daskkubernetes.local.kubelet;

import java.util.List;

/**
 * What the local runtime knows of an image it cannot pull: the parts of its config that decide how
 * a container starts ({@code ENTRYPOINT}, {@code CMD}, {@code USER}), so that a pod that relies on
 * them (no {@code command}, as most charts' pods) starts as it would from the image. Its filesystem
 * is the machine's: the entrypoint must be a program here.
 *
 * @param entrypoint the image's ENTRYPOINT, what runs when the container has no command
 * @param cmd the image's CMD, its arguments when the container has neither command nor args
 * @param user the image's USER as a uid, or null for root
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, Long user) {

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
    }

    /**
     * The repository part of an image reference, without tag or digest: {@code
     * ghcr.io/dask/dask:2024.1.0} → {@code ghcr.io/dask/dask}. A port in the registry's host is not
     * a tag.
     */
    public static String repositoryOf(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/')
                ? withoutDigest.substring(0, colon)
                : withoutDigest;
    }
}
