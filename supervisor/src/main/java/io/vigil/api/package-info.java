/**
 * The status REST API and status page: Jersey resources on Grizzly, reading the supervisor
 * through {@link io.vigil.control.Commands} only. An adapter and a leaf: nothing imports it but
 * the composition root, and it is the only package that imports Jersey or Grizzly.
 */
package io.vigil.api;
