package io.daskkubernetes.model;

import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard address users click, from {@code distributed.dashboard.link}: a Python format
 * string with {@code {scheme}}, {@code {host}}, {@code {port}} and every environment variable
 * (JupyterHub users write {@code {JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status}).
 */
public final class DashboardLink {

    public static final String CONFIG_KEY = "distributed.dashboard.link";
    public static final String DEFAULT_TEMPLATE = "{scheme}://{host}:{port}/status";

    private DashboardLink() {}

    public static String format(
            String template, String scheme, String host, int port, Map<String, String> env) {
        if (template == null) {
            throw new SpecException(
                    "dask configuration",
                    CONFIG_KEY,
                    "is null",
                    "set it to a format such as \"{scheme}://{host}:{port}/status\"");
        }
        Map<String, String> values = new HashMap<>(env);
        values.put("scheme", scheme);
        values.put("host", host);
        values.put("port", Integer.toString(port));
        try {
            return PythonFormat.format(template, values);
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    "dask configuration",
                    CONFIG_KEY,
                    e.getMessage(),
                    "use {scheme}, {host}, {port} or a set environment variable, and write {{ and }} for literal braces",
                    e);
        }
    }
}
