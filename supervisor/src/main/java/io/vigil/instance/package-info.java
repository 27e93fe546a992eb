/**
 * Instance lifecycle: the states, the one transition table, {@link io.vigil.instance.Transition}
 * events and the bounded {@link io.vigil.instance.EventLog}. Pure: no threads, I/O or clock
 * reads; every timestamp is passed in by the caller.
 */
package io.vigil.instance;
