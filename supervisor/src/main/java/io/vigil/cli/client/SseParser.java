package io.vigil.cli.client;

import java.util.Optional;

/**
 * Turns the lines of a {@code text/event-stream} body into events, following the WHATWG HTML
 * "event stream interpretation" rules this client needs: {@code event:} sets the type, {@code
 * data:} lines are joined with newlines, a blank line dispatches, {@code :} starts a comment
 * (used as keep-alive), {@code id} and {@code retry} are ignored. One instance per stream; not
 * thread-safe.
 */
final class SseParser {
  /** A dispatched event; the type is "message" when the stream named none. */
  record SseEvent(String type, String data) {}

  private String type = "";
  private StringBuilder data;

  /** Feeds one line (without its line ending); returns the event a blank line completes. */
  Optional<SseEvent> feed(String line) {
    if (line.isEmpty()) {
      return dispatch();
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("event")) {
      type = value;
    } else if (field.equals("data")) {
      data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
    }
    return Optional.empty();
  }

  private Optional<SseEvent> dispatch() {
    // Per the spec, an event with no data lines is dropped, and its type is reset either way.
    Optional<SseEvent> event = data == null ? Optional.empty()
        : Optional.of(new SseEvent(type.isEmpty() ? "message" : type, data.toString()));
    type = "";
    data = null;
    return event;
  }
}
