package io.daskkubernetes.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The one fabric8 serializer of the model package (fabric8's static Serialization mappers are
 * deprecated).
 */
final class KubernetesJson {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /**
     * Only to look at the fabric8 model classes' Jackson properties; never to read or write
     * objects.
     */
    static final ObjectMapper INTROSPECTION = new ObjectMapper();

    private KubernetesJson() {}
}
