package io.vigil.demo;

import java.util.function.Consumer;

/**
 * The demo's injected faults. Every change is logged as one line to the demo's output, which is
 * what a person watching {@code vigil logs} wants to see next to the restarts it causes.
 * Thread-safe: changes are serialised, so the log order is the order of the changes.
 */
final class Faults {
  private final RetainedMemory memory = new RetainedMemory();
  private final Consumer<String> log;
  private volatile FaultState state = FaultState.NONE;

  Faults(Consumer<String> log) {
    this.log = log;
  }

  FaultState state() {
    return state;
  }

  synchronized void hang() {
    state = state.withHung(true);
    log.accept("fault: hang: every request now blocks until the process ends");
  }

  synchronized void slow(int ms) {
    state = state.withSlowMs(ms);
    log.accept(ms == 0 ? "fault: slow off" : "fault: slow: responses delayed " + ms + " ms");
  }

  synchronized void errors(double rate) {
    state = state.withErrorRate(rate);
    log.accept("fault: errors: " + rate + " of GET / answer 500");
  }

  synchronized void ready(boolean on) {
    state = state.withReady(on);
    log.accept("fault: ready " + (on ? "on" : "off: /readyz answers 503"));
  }

  synchronized int leak(int mib) {
    try {
      int total = memory.allocate(mib);
      log.accept("fault: leak: +" + mib + " MiB, " + total + " MiB retained");
      return total;
    } catch (RetainedMemory.LimitReached e) {
      log.accept("fault: leak stopped: " + e.getMessage());
      throw e;
    }
  }

  synchronized void reset() {
    state = FaultState.NONE;
    memory.release();
    log.accept("fault: reset: all faults cleared");
  }

  void crash(int code) {
    log.accept("fault: crash: exiting with code " + code);
  }

  String json() {
    return state.toJson(memory.allocatedMiB());
  }
}
