package io.daskkubernetes.config;

import io.daskkubernetes.model.SpecException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code kubernetes.tls}: whether a new cluster speaks TLS (off by default, as in classic). Read
 * apart from the other settings because it chooses what the client makes (certificates, a Secret),
 * not what the pod templates say.
 */
public final class TlsSetting {

    public static final String CONFIG_KEY = "kubernetes.tls";

    private TlsSetting() {}

    /** The configured value; {@code false} when unset. */
    public static boolean enabled(DaskConfig config) {
        Optional<Object> value = config.get(CONFIG_KEY);
        if (value.isEmpty() || value.get() == null) {
            return false;
        }
        if (value.get() instanceof Boolean flag) {
            return flag;
        }
        String text = String.valueOf(value.get()).trim().toLowerCase(Locale.ROOT);
        if (text.equals("true")) {
            return true;
        }
        if (text.equals("false")) {
            return false;
        }
        throw new SpecException(
                config.origin(CONFIG_KEY),
                CONFIG_KEY,
                "\"" + value.get() + "\" is not true or false",
                "use true or false");
    }
}
