package io.daskkubernetes.operator;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The four CRDs, as generated into operator-api's jar ({@code META-INF/fabric8}); installs them or
 * checks that they are installed.
 */
public final class CustomResourceDefinitions {

    static final String GROUP_VERSION = "kubernetes.dask.org/v1";

    static final List<String> PLURALS =
            List.of("daskclusters", "daskworkergroups", "daskjobs", "daskautoscalers");

    private CustomResourceDefinitions() {}

    public static List<CustomResourceDefinition> all() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String plural : PLURALS) {
            String resource = "/META-INF/fabric8/" + plural + ".kubernetes.dask.org-v1.yml";
            try (InputStream in = CustomResourceDefinitions.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from the classpath");
                }
                crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crds;
    }

    /** Creates the CRDs, or replaces them with ours when they exist. */
    public static void install(KubernetesClient client) {
        for (CustomResourceDefinition crd : all()) {
            client.resource(crd).createOr(NonDeletingOperation::update);
        }
    }

    /**
     * The names of our CRDs the cluster lacks. Asked of API discovery, which every authenticated
     * user may read, rather than of the CRDs themselves (cluster-scoped): an operator confined to
     * namespaces has no right to read CRDs.
     */
    public static List<String> missing(KubernetesClient client) {
        APIResourceList served = client.getApiResources(GROUP_VERSION);
        Set<String> plurals =
                served == null || served.getResources() == null
                        ? Set.of()
                        : served.getResources().stream()
                                .map(APIResource::getName)
                                .collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (String plural : PLURALS) {
            if (!plurals.contains(plural)) {
                missing.add(plural + ".kubernetes.dask.org");
            }
        }
        return missing;
    }
}
