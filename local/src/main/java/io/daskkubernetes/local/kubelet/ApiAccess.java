package io.daskkubernetes.local.kubelet;

import java.util.function.BiFunction;

/**
 * How pods reach this runtime's API server: the {@code kubernetes} Service's address and port, the
 * CA that signed the server's certificate, and the token of a service account.
 *
 * @param serviceHost {@code KUBERNETES_SERVICE_HOST}
 * @param servicePort {@code KUBERNETES_SERVICE_PORT}
 * @param certificateAuthorityPem the {@code ca.crt} of a service account volume
 * @param tokens the token of a service account, from its namespace and name
 */
public record ApiAccess(
        String serviceHost,
        int servicePort,
        String certificateAuthorityPem,
        BiFunction<String, String, String> tokens) {

    public String serverUrl() {
        return "https://" + serviceHost + ":" + servicePort;
    }
}
