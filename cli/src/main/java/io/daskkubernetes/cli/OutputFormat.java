package io.daskkubernetes.cli;

/** How commands that print data print it. */
enum OutputFormat {
    table,
    json,
    yaml
}
