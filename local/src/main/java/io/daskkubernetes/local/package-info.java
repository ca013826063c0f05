package io.daskkubernetes.local;
