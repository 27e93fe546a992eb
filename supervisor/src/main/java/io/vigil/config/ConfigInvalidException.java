package io.vigil.config;

import java.util.List;

/** A configuration with problems; carries all of them, never just the first. */
public class ConfigInvalidException extends Exception {
  private final List<Problem> problems;

  public ConfigInvalidException(List<Problem> problems) {
    super(problems.size() + " problem(s) in configuration");
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
