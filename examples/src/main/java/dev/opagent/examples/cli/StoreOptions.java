package dev.opagent.examples.cli;

import dev.opagent.agent.AgentException;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the operating store is: {@code --store} (alias {@code --journal}) and its user. */
final class StoreOptions {
  /** The embedded default of the command line. */
  static final String DEFAULT_URL = "jdbc:h2:file:./.opagent/store";

  @Option(
      names = {"--store", "--journal"},
      defaultValue = DEFAULT_URL,
      paramLabel = "JDBC_URL",
      description =
          "The operating store: journal, contacts, money, approvals, segments and"
              + " feedback (default: ${DEFAULT-VALUE}; jdbc:postgresql://… to share it between"
              + " processes). The password is read from $OPAGENT_STORE_PASSWORD.")
  String url = DEFAULT_URL;

  @Option(
      names = {"--store-user", "--journal-user"},
      defaultValue = "sa",
      paramLabel = "USER",
      description = "The store's database user (default: ${DEFAULT-VALUE}).")
  String user = "sa";

  /** The URL with its credentials masked, for output. */
  String masked() {
    return OperatingStore.mask(url);
  }

  /** Opens (and migrates) the store; a usage error naming the masked URL when it cannot. */
  OperatingStore open(CommandLine cmd) {
    if (url.startsWith("jdbc:h2:file:")) {
      String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
      Path dir = Path.of(path).toAbsolutePath().getParent();
      try {
        if (dir != null) {
          Files.createDirectories(dir);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the directory of --store " + masked(), e);
      }
    }
    String password = System.getenv("OPAGENT_STORE_PASSWORD");
    if (password == null) {
      password = System.getenv().getOrDefault("OPAGENT_JOURNAL_PASSWORD", "");
    }
    try {
      return OperatingStore.open(url, user, password);
    } catch (IllegalArgumentException | AgentException e) {
      throw new CommandLine.ParameterException(
          cmd, "cannot open --store " + masked() + ": " + e.getMessage());
    }
  }
}
