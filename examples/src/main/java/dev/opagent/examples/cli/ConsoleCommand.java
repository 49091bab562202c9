package dev.opagent.examples.cli;

import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.console.ConsoleAuthenticator;
import dev.opagent.console.ConsoleHandler;
import dev.opagent.console.ConsoleServer;
import dev.opagent.rules.LoadResult;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.problem.Problem;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opagent console}: the operations console in a browser, on the operating store. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    customSynopsis =
        "opagent console [--store JDBC_URL] [--rules FILE] [--policy FILE] [--port PORT]"
            + " [--bind HOST] [OPTIONS]",
    description = {
      "Serves the operations console: recent runs with deliveries per minute, failures by cause"
          + " and budgets in use, the campaigns of a rules file to enable or disable, the actions"
          + " of the journal by customer, campaign, run or outcome, experiments with their lift,"
          + " sample-ratio check and bandit rounds, pending approvals to approve or reject, and the"
          + " audit trail.",
      "Operators sign in with a name of their choice and the token in $OPAGENT_CONSOLE_TOKEN (at"
          + " least 16 characters); the command does not start without it. The name is recorded"
          + " with every change. Every form carries a per-session token; customer ids are masked"
          + " unless an operator switches them on for the session.",
      "The console listens on 127.0.0.1 unless --bind says otherwise, over plain HTTP: reach it"
          + " through an SSH tunnel, or put a TLS proxy in front of it and pass --secure-cookies.",
      "With --rules, a campaign change is checked with the rule loader, written to the file"
          + " atomically and recorded in FILE.audit.jsonl beside it; loops that read the file pick"
          + " it up when they reload it."
    },
    footer = {
      "",
      "Examples:",
      "  OPAGENT_CONSOLE_TOKEN=$(openssl rand -hex 24) bin/opagent console --rules rules.json",
      "  bin/opagent console --store jdbc:postgresql://db/opagent --store-user opagent \\",
      "      --rules /etc/opagent/rules.json --port 8089",
      "",
      "Exit codes: 0 stopped, 2 usage error, no token, unreadable or invalid rules, the store"
          + " cannot be opened or the port cannot be listened on."
    })
public final class ConsoleCommand implements Callable<Integer> {
  /** The environment variable holding the console's token. */
  static final String TOKEN_ENV = "OPAGENT_CONSOLE_TOKEN";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "The campaign rules file to show and change (default: no campaigns page).")
  Path rules;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "The decision policy JSON the loop decides under: the dashboard shows the money in use"
              + " against its budgets (default: no budgets shown).")
  Path policy;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8089",
      description = "The port to listen on (default: ${DEFAULT-VALUE}; 0 for any free one).")
  int port = 8089;

  @Option(
      names = "--bind",
      paramLabel = "HOST",
      defaultValue = ConsoleServer.LOOPBACK,
      description =
          "The address to listen on (default: ${DEFAULT-VALUE}, this machine only); another"
              + " address only behind a TLS proxy.")
  String bind = ConsoleServer.LOOPBACK;

  @Option(
      names = "--secure-cookies",
      description = "Mark cookies Secure: browsers send them over HTTPS only (behind a TLS proxy).")
  boolean secureCookies;

  /** The environment the token is read from; tests replace it. */
  Map<String, String> env = System.getenv();

  /** Told the server once it listens; tests use it to reach and stop it. */
  Consumer<ConsoleServer> started = s -> {};

  /** Counted down to stop the console; a shutdown hook does it on Ctrl-C. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    CommandLine cmd = spec.commandLine();
    PrintWriter err = cmd.getErr();
    String token = env.get(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      throw new CommandLine.ParameterException(
          cmd,
          "set $"
              + TOKEN_ENV
              + " to a secret of at least "
              + ConsoleAuthenticator.MIN_SECRET_LENGTH
              + " characters (such as $(openssl rand -hex 24)): operators sign in with it, and the"
              + " console does not start without it");
    }
    if (token.length() < ConsoleAuthenticator.MIN_SECRET_LENGTH) {
      throw new CommandLine.ParameterException(
          cmd,
          "$"
              + TOKEN_ENV
              + " must be at least "
              + ConsoleAuthenticator.MIN_SECRET_LENGTH
              + " characters long");
    }
    if (port < 0 || port > 65_535) {
      throw new CommandLine.ParameterException(cmd, "--port must be within 0..65535");
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new CommandLine.ParameterException(cmd, "--bind " + bind + " is not a known address");
    }
    RuleSetHolder holder = null;
    RuleSetLoader loader = RuleSetLoader.ofDefaults();
    if (rules != null) {
      if (!Files.isReadable(rules) || !Files.isWritable(rules)) {
        throw new CommandLine.ParameterException(
            cmd, "cannot read and write --rules " + rules + ": the console changes the file");
      }
      LoadResult loaded = loader.validate(RuleSource.file(rules));
      if (loaded instanceof LoadResult.Invalid invalid) {
        StringBuilder sb = new StringBuilder("--rules " + invalid.source() + " does not validate:");
        for (Problem p : invalid.problems()) {
          sb.append(System.lineSeparator()).append("  ").append(p);
        }
        throw new CommandLine.ParameterException(cmd, sb.toString());
      }
      holder =
          RuleSetHolder.of(((LoadResult.Loaded) loaded).ruleSet(), loader, RuleSource.file(rules));
    }
    BudgetLimits budgets = policy == null ? null : DecisionOptions.policy(cmd, policy).budgets();
    try (OperatingStore opened = store.open(cmd)) {
      ConsoleHandler.Builder b =
          ConsoleHandler.builder()
              .store(opened)
              .authenticator(ConsoleAuthenticator.token(token))
              .clock(Clock.systemUTC())
              .secureCookies(secureCookies);
      if (holder != null) {
        b.rules(holder, loader);
      }
      if (budgets != null) {
        b.budgets(budgets);
      }
      ConsoleServer server;
      try {
        server = ConsoleServer.start(b.build(), bind, port, "/");
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            cmd, "cannot listen on " + bind + ":" + port + ": " + e.getMessage());
      }
      Thread hook = new Thread(stop::countDown, "opagent-console-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try (server) {
        err.printf(
            "opagent console on %s, store %s%s%n",
            server.url(), store.masked(), rules == null ? "" : ", rules " + rules);
        if (!loopback) {
          err.println(
              "opagent console: listening beyond this machine over plain HTTP; put a TLS proxy in"
                  + " front of it and pass --secure-cookies");
        }
        err.flush();
        started.accept(server);
        stop.await();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it stops the console
        }
      }
    }
    return 0;
  }
}
