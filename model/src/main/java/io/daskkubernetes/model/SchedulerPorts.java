package io.daskkubernetes.model;

/** The scheduler's ports and the names the Service gives them. */
public final class SchedulerPorts {

    public static final int COMM = 8786;
    public static final int DASHBOARD = 8787;
    public static final String COMM_NAME = "tcp-comm";
    public static final String DASHBOARD_NAME = "http-dashboard";

    private SchedulerPorts() {}
}
