/**
 * Instance lifecycle: the states, the one transition table, the events ({@link
 * io.vigil.instance.Transition}, {@link io.vigil.instance.RotationChange}) and the bounded {@link
 * io.vigil.instance.EventLog}. Pure: no threads, I/O or clock reads; every timestamp is passed in.
 */
package io.vigil.instance;
