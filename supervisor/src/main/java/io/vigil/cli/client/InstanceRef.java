package io.vigil.cli.client;

import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A command-line {@code SVC} or {@code SVC/ID}, as in {@code web} or {@code web/0}.
 *
 * @param service the service name
 * @param id the instance number, when given
 */
record InstanceRef(String service, OptionalInt id) {

  /** Parses {@code text}; anything else is a usage error (exit 2) naming the expected form. */
  static InstanceRef parse(CommandLine commandLine, String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return new InstanceRef(requireName(commandLine, text, text), OptionalInt.empty());
    }
    String service = requireName(commandLine, text.substring(0, slash), text);
    try {
      int id = Integer.parseInt(text.substring(slash + 1));
      if (id < 0) {
        throw new NumberFormatException();
      }
      return new InstanceRef(service, OptionalInt.of(id));
    } catch (NumberFormatException e) {
      throw new ParameterException(commandLine,
          "'" + text + "': expected SVC or SVC/ID with ID an instance number, as in web/0");
    }
  }

  private static String requireName(CommandLine commandLine, String name, String text) {
    if (name.isBlank()) {
      throw new ParameterException(commandLine, "'" + text + "': the service name is missing");
    }
    return name;
  }

  @Override
  public String toString() {
    return id.isPresent() ? service + "/" + id.getAsInt() : service;
  }
}
