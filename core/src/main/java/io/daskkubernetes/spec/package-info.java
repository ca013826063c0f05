package io.daskkubernetes.spec;
