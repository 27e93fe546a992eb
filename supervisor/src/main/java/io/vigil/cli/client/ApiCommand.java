package io.vigil.cli.client;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to Vigil's API. It maps every outcome to the CLI's exit codes and one
 * line on stderr: 0 ok, 1 Vigil said no ({@link ApiProblem}), 2 usage (picocli), 3 Vigil not
 * reachable ({@link Unreachable}). Never a stack trace: anything else is a bug, and Main's
 * handler reports it in one line.
 */
abstract class ApiCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int UNREACHABLE = 3;
  /** Interrupted outside a follow loop, as if killed by SIGINT (128 + 2). */
  static final int INTERRUPTED = 130;

  @Mixin ApiOptions apiOptions;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      return run(new VigilApi(new ApiClient(apiOptions.target(err()))));
    } catch (ApiProblem e) {
      fail(e);
      return FAILED;
    } catch (Unreachable e) {
      err().println("vigil: " + e.getMessage());
      return UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return INTERRUPTED;
    } finally {
      out().flush();
      err().flush();
    }
  }

  /** The command itself; returns its exit code. */
  abstract int run(VigilApi api) throws ApiProblem, Unreachable, InterruptedException;

  /** Prints an API refusal; commands with more to say (reload's error lines) override it. */
  void fail(ApiProblem e) {
    err().println("vigil: " + e.getMessage());
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
