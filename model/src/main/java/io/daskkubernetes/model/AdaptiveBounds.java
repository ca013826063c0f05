package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bounds a cluster adapts within, kept in its owner ConfigMap while it adapts, so that another
 * process (a {@code dask-kubernetes scale} from another shell) can see that its request would be
 * undone by the adaptive loop, and say so, rather than succeed and be silently reverted.
 */
public record AdaptiveBounds(int minimum, int maximum) {

    static final String MINIMUM = "adapt-minimum";
    static final String MAXIMUM = "adapt-maximum";

    /** The owner's data entries that record these bounds. */
    public Map<String, String> ownerData() {
        return Map.of(MINIMUM, Integer.toString(minimum), MAXIMUM, Integer.toString(maximum));
    }

    /** The keys to remove from the owner's data when the cluster stops adapting. */
    public static String[] ownerDataKeys() {
        return new String[] {MINIMUM, MAXIMUM};
    }

    /** The bounds the owner records, or empty when the cluster does not adapt. */
    public static Optional<AdaptiveBounds> of(ConfigMap owner) {
        Map<String, String> data = owner.getData() == null ? Map.of() : owner.getData();
        String minimum = data.get(MINIMUM);
        String maximum = data.get(MAXIMUM);
        if (minimum == null || maximum == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new AdaptiveBounds(Integer.parseInt(minimum), Integer.parseInt(maximum)));
        } catch (NumberFormatException e) {
            throw new SpecException(
                    "ConfigMap " + owner.getMetadata().getName(),
                    "data." + MINIMUM,
                    "\"" + minimum + "\" and \"" + maximum + "\" are not numbers",
                    "remove both entries, or recreate the cluster",
                    e);
        }
    }
}
