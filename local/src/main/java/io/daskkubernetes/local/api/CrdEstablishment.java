package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What kube-apiserver's CRD controllers write into a new CustomResourceDefinition's status: its
 * names accepted and the CRD Established, with the accepted names and stored versions. Helm waits
 * for Established after installing a chart's crds/; here the CRD is served as soon as it is stored,
 * so it is Established at once.
 */
final class CrdEstablishment {

    static final String GROUP = "apiextensions.k8s.io";
    static final String PLURAL = "customresourcedefinitions";

    private CrdEstablishment() {}

    static boolean matches(ApiPath path) {
        return GROUP.equals(path.group()) && PLURAL.equals(path.resource());
    }

    static void establish(ObjectNode crd) {
        ObjectNode status = crd.with("status");
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, "NamesAccepted", "NoConflicts", "no conflicts found", now);
        condition(
                conditions,
                "Established",
                "InitialNamesAccepted",
                "the initial names have been accepted",
                now);
        JsonNode names = crd.path("spec").path("names");
        if (names.isObject()) {
            status.set("acceptedNames", names.deepCopy());
        }
        ArrayNode stored = status.putArray("storedVersions");
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                stored.add(version.path("name").asText());
            }
        }
    }

    private static void condition(
            ArrayNode conditions, String type, String reason, String message, String now) {
        conditions
                .addObject()
                .put("type", type)
                .put("status", "True")
                .put("lastTransitionTime", now)
                .put("reason", reason)
                .put("message", message);
    }
}
