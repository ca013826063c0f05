package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The options of a DELETE, from the query and from a {@code DeleteOptions} body (kubectl and the
 * Python client send them in the body): dry run, propagation policy and grace period.
 *
 * @param propagationPolicy Orphan, Background or Foreground; empty for the kind's default
 */
record DeleteOptions(
        boolean dryRun, Optional<String> propagationPolicy, Optional<Long> gracePeriodSeconds) {

    static DeleteOptions of(ApiPath path, RequestOptions query, String body) {
        boolean dryRun = query.dryRun();
        Optional<String> propagation =
                Optional.ofNullable(path.query().get("propagationPolicy"))
                        .filter(p -> !p.isEmpty());
        if (QueryBoolean.isTrue(path.query().get("orphanDependents"))) {
            propagation = Optional.of("Orphan");
        }
        Optional<Long> grace = Optional.empty();
        if (body != null && !body.isBlank()) {
            JsonNode options = RequestBodies.parseJson(body);
            if (!options.isObject()) {
                throw ApiException.badRequest(
                        "the body of a DELETE must be a DeleteOptions object");
            }
            JsonNode dryRunValues = options.path("dryRun");
            if (dryRunValues.isArray()) {
                for (JsonNode value : dryRunValues) {
                    if (!"All".equals(value.asText())) {
                        throw ApiException.invalid(
                                "dryRun: Unsupported value: \""
                                        + value.asText()
                                        + "\": supported values: \"All\"");
                    }
                    dryRun = true;
                }
            }
            JsonNode policy = options.path("propagationPolicy");
            if (policy.isTextual()) {
                if (!java.util.Set.of("Orphan", "Background", "Foreground")
                        .contains(policy.asText())) {
                    throw ApiException.invalid(
                            "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy:"
                                    + " Unsupported value: \""
                                    + policy.asText()
                                    + "\": supported values: \"Foreground\", \"Background\","
                                    + " \"Orphan\"");
                }
                propagation = Optional.of(policy.asText());
            } else if (options.path("orphanDependents").asBoolean(false)) {
                propagation = Optional.of("Orphan");
            }
            JsonNode bodyGrace = options.path("gracePeriodSeconds");
            if (bodyGrace.canConvertToLong()) {
                grace = Optional.of(bodyGrace.asLong());
            }
        }
        String queryGrace = path.query().get("gracePeriodSeconds");
        if (queryGrace != null && !queryGrace.isEmpty()) {
            try {
                grace = Optional.of(Long.parseLong(queryGrace));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(
                        "gracePeriodSeconds: Invalid value: \""
                                + queryGrace
                                + "\": must be a number of seconds");
            }
        }
        return new DeleteOptions(dryRun, propagation, grace);
    }
}
