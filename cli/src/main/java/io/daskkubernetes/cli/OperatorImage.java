package io.daskkubernetes.cli;

import io.daskkubernetes.local.kubelet.ImageConfig;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's image (deploy/Dockerfile) as the local runtime runs it: its ENTRYPOINT is this
 * very program, so that the Helm chart and the kustomize base, whose pods give only args ({@code
 * operator ...}), run the operator on the local runtime as they do on a cluster, as the image's
 * unprivileged user.
 */
final class OperatorImage {

    /** The repository the chart and the kustomize base use by default. */
    static final String REPOSITORY = "dask-kubernetes-operator";

    /** The image's USER (deploy/Dockerfile). */
    static final long USER = 10001;

    private OperatorImage() {}

    static ImageConfig config() {
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path location = ownLocation();
        if (location.toString().endsWith(".jar")) {
            entrypoint.addAll(List.of("-jar", location.toString()));
        } else {
            // run from classes (an IDE, a test): the same class path
            entrypoint.addAll(
                    List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        return new ImageConfig(entrypoint, List.of("operator", "--help"), USER);
    }

    private static Path ownLocation() {
        try {
            return Path.of(
                    OperatorImage.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where dask-kubernetes runs from", e);
        }
    }
}
