package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.function.Predicate;

/**
 * Turns {@code metadata.generateName} into a name the way the API server does (prefix plus five
 * random characters), instead of the mock's {@code prefix-00000000-0000-...} names.
 */
public final class GeneratedNames {

    /** The alphabet Kubernetes uses: no vowels (no words) and no look-alike characters. */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private static final int SUFFIX_LENGTH = 5;
    private static final int ATTEMPTS = 20;

    private final SecureRandom random = new SecureRandom();

    /**
     * Sets {@code metadata.name} from {@code metadata.generateName} when the name is missing.
     *
     * @param taken tells whether a candidate name is already used in the target collection
     */
    public void apply(ObjectNode object, Predicate<String> taken) {
        if (!(object.get("metadata") instanceof ObjectNode metadata)) {
            return;
        }
        String name = metadata.path("name").asText("");
        String prefix = metadata.path("generateName").asText("");
        if (!name.isEmpty() || prefix.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String candidate = prefix + suffix();
            if (!taken.test(candidate)) {
                metadata.put("name", candidate);
                return;
            }
        }
        throw new IllegalStateException(
                "no free name with prefix " + prefix + " after " + ATTEMPTS + " attempts");
    }

    private String suffix() {
        StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }
}
