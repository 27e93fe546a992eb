package io.vigil.agent;

/** A process could not be started (missing executable, bad working dir, unknown user...). */
public class LaunchException extends Exception {
  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }

  public LaunchException(String message) {
    super(message);
  }
}
