package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A field selector ({@code k=v}, {@code k==v}, {@code k!=v}, joined by commas) over the fields
 * kube-apiserver supports for each kind: {@code metadata.name} and {@code metadata.namespace}
 * everywhere, and for pods {@code spec.nodeName}, {@code status.phase} and the others below. A
 * selector that does not parse, or names a field that is not supported for its kind, is refused
 * with 400, as kube-apiserver does, instead of matching nothing or everything.
 */
public final class FieldSelector {

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private static final Set<String> EVERY_KIND = Set.of("metadata.name", "metadata.namespace");

    /** The field labels kube-apiserver 1.32 registers per core resource. */
    private static final Map<String, Set<String>> BY_RESOURCE =
            Map.of(
                    "pods",
                    Set.of(
                            "spec.nodeName",
                            "spec.restartPolicy",
                            "spec.schedulerName",
                            "spec.serviceAccountName",
                            "spec.hostNetwork",
                            "status.phase",
                            "status.podIP",
                            "status.nominatedNodeName"),
                    "events",
                    Set.of(
                            "involvedObject.kind",
                            "involvedObject.namespace",
                            "involvedObject.name",
                            "involvedObject.uid",
                            "involvedObject.apiVersion",
                            "involvedObject.resourceVersion",
                            "involvedObject.fieldPath",
                            "reason",
                            "reportingComponent",
                            "source",
                            "type"),
                    "secrets",
                    Set.of("type"),
                    "namespaces",
                    Set.of("status.phase"),
                    "nodes",
                    Set.of("spec.unschedulable"),
                    "replicasets",
                    Set.of("status.replicas"),
                    "jobs",
                    Set.of("status.successful"));

    record Term(String field, String value, boolean equal) {}

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * @param resource the plural resource name the selector is for (which fields exist)
     * @throws ApiException 400 for a selector that does not parse or names an unsupported field
     */
    public static FieldSelector parse(String selector, String resource) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String term : splitTerms(selector)) {
            terms.add(term(selector, term.trim(), resource));
        }
        return new FieldSelector(List.copyOf(terms));
    }

    private static Term term(String selector, String term, String resource) {
        int notEquals = term.indexOf("!=");
        int doubleEquals = term.indexOf("==");
        int equals = term.indexOf('=');
        String field;
        String value;
        boolean equal;
        if (notEquals >= 0 && (equals < 0 || notEquals < equals)) {
            field = term.substring(0, notEquals);
            value = term.substring(notEquals + 2);
            equal = false;
        } else if (doubleEquals >= 0 && doubleEquals == equals) {
            field = term.substring(0, doubleEquals);
            value = term.substring(doubleEquals + 2);
            equal = true;
        } else if (equals >= 0) {
            field = term.substring(0, equals);
            value = term.substring(equals + 1);
            equal = true;
        } else {
            throw ApiException.badRequest(
                    "invalid selector: '" + selector + "'; can't understand '" + term + "'");
        }
        field = field.trim();
        if (field.isEmpty()) {
            throw ApiException.badRequest(
                    "invalid selector: '" + selector + "'; can't understand '" + term + "'");
        }
        if (!supported(field, resource)) {
            throw ApiException.badRequest(
                    "field label not supported: "
                            + field
                            + " (for "
                            + resource
                            + " the local runtime, like kube-apiserver, supports "
                            + supportedFields(resource)
                            + ")");
        }
        return new Term(field, unescape(value.trim()), equal);
    }

    private static boolean supported(String field, String resource) {
        return EVERY_KIND.contains(field)
                || BY_RESOURCE.getOrDefault(resource, Set.of()).contains(field);
    }

    private static List<String> supportedFields(String resource) {
        List<String> fields = new ArrayList<>(EVERY_KIND);
        fields.addAll(BY_RESOURCE.getOrDefault(resource, Set.of()));
        fields.sort(null);
        return fields;
    }

    /** Splits at commas that are not escaped with a backslash, as {@code fields.ParseSelector}. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '\\' && i + 1 < selector.length()) {
                current.append(c).append(selector.charAt(++i));
            } else if (c == ',') {
                terms.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        terms.add(current.toString());
        return terms;
    }

    private static String unescape(String value) {
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                c = value.charAt(++i);
            }
            plain.append(c);
        }
        return plain.toString();
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    /** The name this selector pins with {@code metadata.name=...}, if any. */
    public java.util.Optional<String> pinnedName() {
        return terms.stream()
                .filter(t -> t.equal() && t.field().equals("metadata.name"))
                .map(Term::value)
                .findFirst();
    }

    public boolean matches(JsonNode object) {
        for (Term term : terms) {
            boolean same = term.value().equals(fieldValue(object, term.field()));
            if (same != term.equal()) {
                return false;
            }
        }
        return true;
    }

    /** The value kube-apiserver indexes for the field: "" when absent, booleans as text. */
    static String fieldValue(JsonNode object, String field) {
        if (field.equals("source")) {
            return object.path("source").path("component").asText("");
        }
        JsonNode node = object;
        for (String part : field.split("\\.")) {
            node = node.path(part);
        }
        if (node.isMissingNode() || node.isNull()) {
            return switch (field) {
                case "spec.hostNetwork", "spec.unschedulable" -> "false";
                case "status.replicas", "status.successful" -> "0";
                default -> "";
            };
        }
        return node.asText("");
    }
}
