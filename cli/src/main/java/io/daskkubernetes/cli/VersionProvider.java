package io.daskkubernetes.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, when there is one. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "dask-kubernetes " + (version == null ? "(development build)" : version)
        };
    }
}
