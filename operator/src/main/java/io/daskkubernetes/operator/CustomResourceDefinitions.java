package io.daskkubernetes.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The four CRDs, as generated into operator-api's jar ({@code META-INF/fabric8}); installs them or
 * checks that they are installed.
 */
public final class CustomResourceDefinitions {

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

    /** The names of our CRDs the cluster lacks. */
    public static List<String> missing(KubernetesClient client) {
        List<String> missing = new ArrayList<>();
        for (CustomResourceDefinition crd : all()) {
            String name = crd.getMetadata().getName();
            if (client.apiextensions().v1().customResourceDefinitions().withName(name).get()
                    == null) {
                missing.add(name);
            }
        }
        return missing;
    }
}
