package io.daskkubernetes.model;

/**
 * Bad input for a cluster: names the source (a file, a configuration key's origin, a builder), the
 * field path inside it, the problem and the fix, as {@code <source>: <field.path>: <problem>;
 * <fix>}.
 */
public class SpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String fieldPath;

    public SpecException(String source, String fieldPath, String problem, String fix) {
        this(source, fieldPath, problem, fix, null);
    }

    public SpecException(
            String source, String fieldPath, String problem, String fix, Throwable cause) {
        super(source + ": " + fieldPath + ": " + problem + "; " + fix, cause);
        this.source = source;
        this.fieldPath = fieldPath;
    }

    public String source() {
        return source;
    }

    public String fieldPath() {
        return fieldPath;
    }
}
