package io.daskkubernetes.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * RBAC rules flattened to one "verb group/resource" line per permission, so that two sets of rules
 * compare as sets and a request is checked against them ("" is the core group).
 */
final class RbacRules {

    private RbacRules() {}

    static Set<String> of(JsonNode role) {
        Set<String> permissions = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        if (rule.has("resourceNames")) {
                            throw new AssertionError(
                                    "resourceNames are not compared here: " + rule);
                        }
                        permissions.add(
                                permission(verb.asText(), group.asText(), resource.asText()));
                    }
                }
            }
        }
        return permissions;
    }

    static String permission(String verb, String group, String resource) {
        return verb + " " + group + "/" + resource;
    }
}
