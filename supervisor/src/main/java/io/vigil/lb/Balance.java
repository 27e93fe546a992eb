package io.vigil.lb;

/** How an instance is chosen: least outstanding requests by two random choices, or in turn. */
public enum Balance {
  LEAST_REQUEST, ROUND_ROBIN
}
