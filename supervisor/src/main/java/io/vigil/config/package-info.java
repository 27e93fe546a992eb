/**
 * Loads the HOCON configuration into immutable records. Every problem is collected with the file
 * and line it came from; the only package that imports {@code com.typesafe.config}.
 */
package io.vigil.config;
