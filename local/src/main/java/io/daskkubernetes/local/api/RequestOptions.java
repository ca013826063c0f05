package io.daskkubernetes.local.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of a request, read and checked the way kube-apiserver does before it acts:
 * booleans as Go reads them, {@code dryRun} ({@code All} only), {@code propagationPolicy}, {@code
 * limit}, {@code fieldValidation} and both selectors. Anything malformed is 400 (or 422 for invalid
 * options), so that nothing is done on a request we did not understand.
 */
record RequestOptions(
        boolean dryRun,
        LabelSelector labelSelector,
        FieldSelector fieldSelector,
        Long limit,
        String continueToken) {

    private static final List<String> BOOLEANS =
            List.of(
                    "watch",
                    "follow",
                    "previous",
                    "timestamps",
                    "allowWatchBookmarks",
                    "sendInitialEvents",
                    "insecureSkipTLSVerifyBackend",
                    "orphanDependents",
                    "pretty");
    private static final Set<String> PROPAGATION = Set.of("Orphan", "Background", "Foreground");
    private static final Set<String> FIELD_VALIDATION = Set.of("Strict", "Warn", "Ignore");

    static RequestOptions of(ApiPath path) {
        Map<String, String> query = path.query();
        for (String name : BOOLEANS) {
            QueryBoolean.parse(name, query.get(name));
        }
        String propagation = query.get("propagationPolicy");
        if (propagation != null && !propagation.isEmpty() && !PROPAGATION.contains(propagation)) {
            throw ApiException.invalid(
                    "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported"
                            + " value: \""
                            + propagation
                            + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        String fieldValidation = query.get("fieldValidation");
        if (fieldValidation != null
                && !fieldValidation.isEmpty()
                && !FIELD_VALIDATION.contains(fieldValidation)) {
            throw ApiException.badRequest(
                    "fieldValidation: Unsupported value: \""
                            + fieldValidation
                            + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        String resource = path.resource() == null ? "" : path.resource();
        return new RequestOptions(
                dryRun(path),
                LabelSelector.parse(query.get("labelSelector")),
                FieldSelector.parse(query.get("fieldSelector"), resource),
                limit(query.get("limit")),
                emptyToNull(query.get("continue")));
    }

    /**
     * {@code dryRun=All}: validate and answer, store nothing. Any other value is refused, as
     * kube-apiserver does.
     */
    private static boolean dryRun(ApiPath path) {
        String value = path.query().get("dryRun");
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (!value.equals("All")) {
            throw ApiException.invalid(
                    "dryRun: Unsupported value: \"" + value + "\": supported values: \"All\"");
        }
        return true;
    }

    private static Long limit(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long limit = Long.parseLong(value);
            return limit > 0 ? limit : null;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "limit: Invalid value: \"" + value + "\": must be a whole number");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
