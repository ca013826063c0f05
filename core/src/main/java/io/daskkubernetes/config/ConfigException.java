package io.daskkubernetes.config;

/**
 * Bad configuration: names where the value came from, the key and how to fix it, in the form {@code
 * <source>: <key>: <problem>; <fix>}.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String key;
    private final String problem;
    private final String fix;

    public ConfigException(String source, String key, String problem, String fix) {
        this(source, key, problem, fix, null);
    }

    public ConfigException(String source, String key, String problem, String fix, Throwable cause) {
        super(source + ": " + key + ": " + problem + "; " + fix, cause);
        this.source = source;
        this.key = key;
        this.problem = problem;
        this.fix = fix;
    }

    public String source() {
        return source;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}
