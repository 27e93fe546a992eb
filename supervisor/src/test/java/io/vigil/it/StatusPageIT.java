package io.vigil.it;

import static io.vigil.instance.InstanceState.READY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser: it shows an instance, and when the instance is killed, or
 * ejected by the load balancer, it updates by itself (Server-Sent Events), without a reload.
 * Needs Debian's {@code chromium}.
 */
class StatusPageIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private ApiFixture f;
  private Chromium browser;

  @BeforeEach
  void needsChromium() {
    assumeTrue(Files.isExecutable(Chromium.BINARY), "skipped: chromium is not installed ("
        + Chromium.BINARY + " is missing; apt-get install chromium)");
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (f != null) {
        f.close();
      }
    }
  }

  @Test
  void thePageFollowsAKilledInstanceLive() throws Exception {
    // Given a supervised sleeper and the page open on it
    f = new ApiFixture(dir, "sleeper { command = [sh, -c, \"exec sleep 300\"] }");
    long pid = f.h.await(WAIT, "sleeper/0", READY).pid();
    browser = Chromium.open(f.client.base + "/", WAIT);
    String row = "document.querySelector('tr[data-instance=\"sleeper/0\"]')";
    String shownPid = cell(row, "pid");
    awaitPage(shownPid, v -> v.equals(Long.toString(pid)));
    awaitPage("document.getElementById('connection').dataset.state", "live"::equals);
    assertEquals("0", page(cell(row, "restarts")));
    assertEquals("READY", page(cell(row, "state")));
    assertEquals("1", page("document.getElementById('count-ready').textContent"));
    assertEquals("1", page("document.getElementById('count-desired').textContent"));
    browser.eval("window.__notReloaded = 'yes'");

    // When the instance is killed from outside
    Host.signal(pid, "KILL");

    // Then, without a reload, the page shows the new process, one restart and the EXITED event
    String newPid = awaitPage(shownPid, v -> !v.isEmpty() && !v.equals("–")
        && !v.equals(Long.toString(pid)));
    assertNotEquals(Long.toString(pid), newPid);
    awaitPage(cell(row, "restarts"), "1"::equals);
    awaitPage("String(document.querySelectorAll("
        + "'#events li[data-to=\"EXITED\"][data-instance=\"sleeper/0\"]').length)",
        v -> !v.equals("0"));
    awaitPage(cell(row, "state"), "READY"::equals);
    assertEquals(String.valueOf(f.h.view("sleeper", 0).pid()), page(shownPid));
    assertEquals("yes", page("String(window.__notReloaded)"));
  }

  @Test
  void thePageShowsAnEjectedInstanceAndItsReturnLive() throws Exception {
    // Given two instances behind Vigil's load balancer and the page open on them
    try (BalancedVigil v = new BalancedVigil(dir)) {
      browser = Chromium.open(v.api.base + "/", WAIT);
      String row = "document.querySelector('tr[data-instance=\"web/0\"]')";
      awaitPage(cell(row, "lb"), v1 -> v1.startsWith("IN_ROTATION"));
      awaitPage("document.getElementById('connection').dataset.state", "live"::equals);

      // When web/0 answers 500 until the load balancer ejects it
      v.errors(0, 1.0);
      assertTrue(Host.eventually(WAIT, () -> {
        try {
          v.getThroughLb();
          return page(cell(row, "lb")).startsWith("EJECTED");
        } catch (Exception e) {
          return false;
        }
      }), "page text:\n" + browser.eval("document.body.innerText") + "\n" + v.vigil.log());

      // Then its row says until when, the event list has the ejection, and after the time
      // is up both show the return, without a reload
      assertTrue(page(cell(row, "lb")).startsWith("EJECTED until "), page(cell(row, "lb")));
      awaitPage(events("rotation", "EJECTED", "web/0"), n -> !n.equals("0"));
      v.errors(0, 0);
      awaitPage(cell(row, "lb"), v1 -> v1.startsWith("IN_ROTATION"));
      awaitPage(events("rotation", "IN_ROTATION", "web/0"), n -> !n.equals("0"));
    }
  }

  private static String events(String kind, String to, String instance) {
    return "String(document.querySelectorAll('#events li[data-kind=\"" + kind + "\"][data-to=\""
        + to + "\"][data-instance=\"" + instance + "\"]').length)";
  }

  private static String cell(String row, String column) {
    return "(" + row + "?.querySelector('td." + column + "')?.textContent ?? '')";
  }

  private String page(String expression) throws Exception {
    return browser.eval(expression);
  }

  private String awaitPage(String expression, Predicate<String> test) throws Exception {
    AtomicReference<String> last = new AtomicReference<>();
    boolean ok = Host.eventually(WAIT, () -> {
      try {
        last.set(browser.eval(expression));
        return test.test(last.get());
      } catch (Exception e) {
        last.set("error: " + e);
        return false;
      }
    });
    if (!ok) {
      throw new AssertionError("page never satisfied " + expression + "; last value: "
          + last.get() + "\npage text:\n" + browser.eval("document.body.innerText")
          + "\nchromium output:\n" + browser.log());
    }
    return last.get();
  }
}
