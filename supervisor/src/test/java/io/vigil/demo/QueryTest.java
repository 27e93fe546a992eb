package io.vigil.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class QueryTest {

  @Test
  void readsIntegersFractionsAndBooleans() {
    Query query = Query.parse("ms=250&rate=0.3&on=false");

    assertEquals(250, query.intParam("ms", null, 0, 1000));
    assertEquals(0.3, query.fraction("rate"));
    assertFalse(query.bool("on"));
    assertTrue(Query.parse("on=true").bool("on"));
  }

  @Test
  void decodesPercentEncodingAndUsesDefaults() {
    assertEquals(7, Query.parse("code=%207").intParam("code", 1, 0, 255));
    assertEquals(1, Query.parse(null).intParam("code", 1, 0, 255));
    assertEquals(1, Query.parse("").intParam("code", 1, 0, 255));
  }

  @Test
  void rangeEdgesAreAccepted() {
    assertEquals(0.0, Query.parse("rate=0").fraction("rate"));
    assertEquals(1.0, Query.parse("rate=1").fraction("rate"));
    assertEquals(255, Query.parse("code=255").intParam("code", 1, 0, 255));
  }

  @Test
  void badValuesSayWhatIsExpectedAndWhatCame() {
    assertBad("ms must be an integer from 0 to 10, was '11'",
        () -> Query.parse("ms=11").intParam("ms", null, 0, 10));
    assertBad("ms must be an integer from 0 to 10, was '1.5'",
        () -> Query.parse("ms=1.5").intParam("ms", null, 0, 10));
    assertBad("ms is required: an integer from 0 to 10",
        () -> Query.parse("").intParam("ms", null, 0, 10));
    assertBad("rate must be a number from 0 to 1, was '-0.1'",
        () -> Query.parse("rate=-0.1").fraction("rate"));
    assertBad("rate must be a number from 0 to 1, was 'NaN'",
        () -> Query.parse("rate=NaN").fraction("rate"));
    assertBad("rate is required: a number from 0 to 1", () -> Query.parse("").fraction("rate"));
    assertBad("on must be true or false, was 'TRUE'", () -> Query.parse("on=TRUE").bool("on"));
    assertBad("on is required: true or false", () -> Query.parse("").bool("on"));
  }

  @Test
  void unknownParametersAreRejectedNotIgnored() {
    assertBad("unknown parameter [milis]; expected ms",
        () -> Query.parse("milis=5").allowOnly("ms"));
    assertBad("unknown parameter [x]; expected ", () -> Query.parse("x").allowOnly());
  }

  @Test
  void malformedEncodingIsABadRequest() {
    RequestError error = assertThrows(RequestError.class, () -> Query.parse("ms=%zz"));
    assertEquals(400, error.status());
  }

  private static void assertBad(String message, Executable action) {
    RequestError error = assertThrows(RequestError.class, action);
    assertEquals(400, error.status());
    assertEquals(message, error.getMessage());
  }
}
