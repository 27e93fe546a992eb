package io.vigil.agent;

/**
 * How a process ended: an exit code, a terminating signal, or unknown (an adopted process that is
 * not Vigil's child: the kernel tells its status only to its parent).
 */
public record ExitStatus(Integer code, Integer signal) {

  public static ExitStatus exited(int code) {
    return new ExitStatus(code, null);
  }

  public static ExitStatus killed(int signal) {
    return new ExitStatus(null, signal);
  }

  public static ExitStatus unknown() {
    return new ExitStatus(null, null);
  }

  /** Exit code 0. A signal or an unknown status is not a success. */
  public boolean success() {
    return code != null && code == 0;
  }

  public boolean known() {
    return code != null || signal != null;
  }

  public String describe() {
    if (code != null) {
      return "exit code " + code;
    }
    if (signal != null) {
      return "killed by " + Signal.ofNumber(signal).map(s -> "SIG" + s.name()).orElse("signal " + signal);
    }
    return "exit status unknown (adopted process)";
  }
}
