package io.daskkubernetes.model;

import java.util.regex.Pattern;

/** The syntax rules of Kubernetes names, label keys and values, and quantities. */
public final class KubernetesNames {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME =
            Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    /**
     * Kubernetes' quantity grammar: a signed number, then a binary or decimal SI suffix or an
     * exponent.
     */
    private static final Pattern QUANTITY =
            Pattern.compile(
                    "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");

    private KubernetesNames() {}

    public static boolean isDnsLabel(String name) {
        return name != null && name.length() <= 63 && DNS_LABEL.matcher(name).matches();
    }

    public static boolean isQuantity(String text) {
        return text != null && QUANTITY.matcher(text).matches();
    }

    /**
     * A label key: an optional DNS-subdomain prefix and '/', then a name of up to 63 characters.
     */
    public static boolean isLabelKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty()
                    || prefix.length() > 253
                    || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    }

    public static boolean isLabelValue(String value) {
        return value != null
                && (value.isEmpty()
                        || (value.length() <= 63 && LABEL_NAME.matcher(value).matches()));
    }
}
