package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock's CRUD store, reporting each change to {@code onChange}. Every write of the mock
 * (create, replace, patch, status, delete) and our own {@link ObjectStore#replaceInPlace} ends in
 * {@link #processEvent}, so this is the one place that sees them all, in the order they happen.
 */
final class ChangeRecordingCrudDispatcher extends KubernetesCrudDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeRecordingCrudDispatcher.class);

    private final Consumer<ResourceChange> onChange;
    private long lastResourceVersion;
    private boolean dryRun;

    ChangeRecordingCrudDispatcher(Consumer<ResourceChange> onChange) {
        super(List.of());
        this.onChange = onChange;
    }

    @Override
    public void processEvent(
            String path,
            AttributeSet pathAttributes,
            AttributeSet oldAttributes,
            GenericKubernetesResource resource,
            String newState) {
        String existing = oldAttributes == null ? null : map.get(oldAttributes);
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (dryRun || (existing == null && newState == null)) {
            return;
        }
        JsonNode before =
                existing == null ? null : Serialization.unmarshal(existing, JsonNode.class);
        JsonNode after =
                newState == null ? null : Serialization.unmarshal(newState, JsonNode.class);
        if (before != null && after != null && resourceVersion(before) == resourceVersion(after)) {
            // The mock bumps the resourceVersion of every write that changes something: this one
            // changed nothing
            // (the API server sends no event for it either).
            return;
        }
        long resourceVersion;
        JsonNode object;
        if (after == null) {
            // The mock deletes without a new resourceVersion; the API server gives the deletion its
            // own, which
            // watches resuming from an earlier one must see as newer.
            resourceVersion = requestResourceVersion();
            object = before;
            ((ObjectNode) object.get("metadata"))
                    .put("resourceVersion", String.valueOf(resourceVersion));
        } else {
            resourceVersion = resourceVersion(after);
            object = after;
        }
        if (resourceVersion <= lastResourceVersion) {
            LOG.warn(
                    "{} changed at resourceVersion {}, not after the previous change ({}): watches resuming from a "
                            + "resourceVersion may miss it",
                    path,
                    resourceVersion,
                    lastResourceVersion);
        }
        lastResourceVersion = Math.max(lastResourceVersion, resourceVersion);
        AttributeSet newAttributes =
                newState == null ? null : attributesOf(newState, pathAttributes);
        ResourceType type = ResourceType.of(newAttributes != null ? newAttributes : oldAttributes);
        onChange.accept(
                new ResourceChange(
                        resourceVersion,
                        type,
                        oldAttributes,
                        newAttributes,
                        object.toString(),
                        existing));
    }

    /**
     * Runs {@code writes} and then puts every object back as it was: nothing is stored and no watch
     * hears of it (dryRun=All). The caller holds the store's lock.
     */
    <T> T dryRun(java.util.function.Supplier<T> writes) {
        java.util.Map<AttributeSet, String> before = new java.util.LinkedHashMap<>(map);
        dryRun = true;
        try {
            return writes.get();
        } finally {
            dryRun = false;
            map.clear();
            map.putAll(before);
        }
    }

    boolean inDryRun() {
        return dryRun;
    }

    /** The attributes the mock files the new state under (same rule as its own processEvent). */
    private AttributeSet attributesOf(String newState, AttributeSet pathAttributes) {
        AttributeSet attributes = attributeExtractor.fromResource(newState);
        return attributes.containsKey("plural")
                ? attributes
                : AttributeSet.merge(pathAttributes, attributes);
    }

    private static long resourceVersion(JsonNode object) {
        return object.path("metadata").path("resourceVersion").asLong(0);
    }
}
