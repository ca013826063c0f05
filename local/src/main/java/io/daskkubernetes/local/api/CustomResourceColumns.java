package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The columns of {@code kubectl get} for a custom resource whose CRD declares {@code
 * additionalPrinterColumns}, as the API server prints them: Name, then each declared column read at
 * its JSON path ({@code .metadata.creationTimestamp} shown as an age).
 */
final class CustomResourceColumns {

    private static final String CRD_PATH =
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private final ObjectStore store;

    CustomResourceColumns(ObjectStore store) {
        this.store = store;
    }

    /** The columns for the resource of {@code path}, or empty when its CRD declares none. */
    Optional<List<TableView.Column>> of(ApiPath path) {
        if (path.group() == null || path.group().isEmpty()) {
            return Optional.empty();
        }
        for (CustomResourceDefinition crd : store.list(CRD_PATH, CustomResourceDefinition.class)) {
            if (!crd.getSpec().getGroup().equals(path.group())
                    || !crd.getSpec().getNames().getPlural().equals(path.resource())) {
                continue;
            }
            return crd.getSpec().getVersions().stream()
                    .filter(v -> v.getName().equals(path.version()))
                    .map(v -> v.getAdditionalPrinterColumns())
                    .filter(columns -> columns != null && !columns.isEmpty())
                    .findFirst()
                    .map(CustomResourceColumns::columns);
        }
        return Optional.empty();
    }

    private static List<TableView.Column> columns(List<CustomResourceColumnDefinition> declared) {
        List<TableView.Column> columns = new ArrayList<>();
        columns.add(
                new TableView.Column(
                        "Name", "string", 0, item -> item.path("metadata").path("name").asText()));
        for (CustomResourceColumnDefinition column : declared) {
            String pointer = column.getJsonPath().replace('.', '/');
            boolean age = "date".equals(column.getType());
            columns.add(
                    new TableView.Column(
                            column.getName(),
                            age ? "string" : column.getType(),
                            column.getPriority() == null ? 0 : column.getPriority(),
                            item -> age ? ageAt(item, pointer) : cell(item.at(pointer))));
        }
        return columns;
    }

    private static Object ageAt(JsonNode item, String pointer) {
        return "/metadata/creationTimestamp".equals(pointer)
                ? TableView.age(item)
                : item.at(pointer).asText("");
    }

    private static Object cell(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        return value.isNumber() ? value.numberValue() : value.asText();
    }
}
