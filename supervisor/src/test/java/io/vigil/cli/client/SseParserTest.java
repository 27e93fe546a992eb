package io.vigil.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private static List<SseParser.SseEvent> parse(String... lines) {
    SseParser parser = new SseParser();
    return List.of(lines).stream().map(parser::feed).flatMap(Optional::stream).toList();
  }

  @Test
  void typedEventWithJsonData() {
    assertEquals(List.of(new SseParser.SseEvent("transition", "{\"a\":1}")),
        parse("event: transition", "data: {\"a\":1}", ""));
  }

  @Test
  void dataLinesJoinAndTheTypeDefaultsToMessage() {
    assertEquals(List.of(new SseParser.SseEvent("message", "one\ntwo")),
        parse("data:one", "data: two", ""));
  }

  @Test
  void commentsIdsAndEventsWithoutDataAreSkipped() {
    // Given a keep-alive comment, an id, and an event type with no data (dropped per the spec)
    assertEquals(List.of(new SseParser.SseEvent("message", "x")),
        parse(": keep-alive", "", "event: transition", "id: 7", "", "data: x", ""));
  }

  @Test
  void nothingIsDispatchedBeforeTheBlankLine() {
    assertEquals(List.of(), parse("event: transition", "data: {}"));
  }
}
