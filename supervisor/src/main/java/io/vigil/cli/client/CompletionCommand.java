package io.vigil.cli.client;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil completion}: a bash completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a bash completion script for vigil.",
        "zsh can use it too, after autoload -U bashcompinit && bashcompinit.",
        "Use: source <(vigil completion), or save it under /etc/bash_completion.d/vigil."})
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(AutoComplete.bash("vigil", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
