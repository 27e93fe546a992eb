package io.vigil.api.json;

/**
 * A body whose null components are left out of its JSON instead of written as null: for
 * members that are present only in some answers (a problem's {@code errors}, an action's
 * {@code instance}). Its other components must never be null.
 */
public interface NullsOmitted {}
