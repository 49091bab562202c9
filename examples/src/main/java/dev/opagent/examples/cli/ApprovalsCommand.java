package dev.opagent.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.store.OperatingStore;
import dev.opagent.store.StoreException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code opagent approvals}: lists the approval requests waiting in the operating store and grants
 * or rejects them, from any machine that reaches the store, while the loop runs elsewhere.
 */
@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    description = {
      "Lists pending approval requests in the operating store, and approves or rejects them.",
      "Requests are filed by the processes that decide on the same store (a DecisionEngine"
          + " whose ApprovalGate is OperatingStore.approvalGate). A decision taken here is seen"
          + " at once by every process that shares the store, and is recorded once even when"
          + " someone else decides the same request at the same moment."
    },
    subcommands = {
      ApprovalsCommand.ListCommand.class,
      ApprovalsCommand.ApproveCommand.class,
      ApprovalsCommand.RejectCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent approvals list",
      "  bin/opagent approvals approve apr-0b6c… --by alice --reason 'budget approved'",
      "  bin/opagent approvals reject apr-0b6c… --by bob --reason 'discount too deep'",
      "  OPAGENT_STORE_PASSWORD=… bin/opagent approvals list \\",
      "      --store jdbc:postgresql://db/opagent --store-user opagent",
      "",
      "Exit codes: 0 done, 2 usage error, unknown request id, request not pending, or the store"
          + " cannot be reached."
    })
public final class ApprovalsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: list, approve or reject");
  }

  /** The store options every subcommand takes. */
  static final class StoreOptions {
    static final String DEFAULT_URL = "jdbc:h2:file:./.opagent/store";
    private static final String H2_IN_USE = "90020";

    @Option(
        names = "--store",
        defaultValue = DEFAULT_URL,
        paramLabel = "JDBC_URL",
        description =
            "The operating store (default: ${DEFAULT-VALUE}); jdbc:postgresql://… for"
                + " the store that replicas share.")
    String url;

    @Option(
        names = "--store-user",
        defaultValue = "sa",
        paramLabel = "USER",
        description =
            "Store database user (default: ${DEFAULT-VALUE}); the password is read from"
                + " $OPAGENT_STORE_PASSWORD.")
    String user;

    /** Opens the store, or fails with a usage error naming the fix. */
    OperatingStore open(CommandLine cmd) {
      Optional<Path> file = h2File(url);
      if (file.isPresent() && !Files.exists(file.get())) {
        throw new CommandLine.ParameterException(
            cmd,
            "no operating store at --store "
                + OperatingStore.mask(url)
                + " ("
                + file.get()
                + " does not exist); pass the --store"
                + " the loop uses, or run it from the directory that holds .opagent/");
      }
      String password = System.getenv().getOrDefault("OPAGENT_STORE_PASSWORD", "");
      if (file.isPresent()) {
        failFastWhenInUse(cmd, password);
      }
      try {
        return OperatingStore.open(url, user, password);
      } catch (IllegalArgumentException | StoreException e) {
        throw new CommandLine.ParameterException(
            cmd, "cannot open --store " + OperatingStore.mask(url) + ": " + e.getMessage());
      }
    }

    /**
     * An embedded H2 file serves one process at a time; the pool would wait its connection timeout
     * (30 s) before reporting that, so one plain connection tries first.
     */
    private void failFastWhenInUse(CommandLine cmd, String password) {
      try {
        DriverManager.getConnection(url, user, password).close(); // free: the pool opens it next
      } catch (SQLException e) {
        if (H2_IN_USE.equals(e.getSQLState())) {
          throw new CommandLine.ParameterException(
              cmd,
              "the operating store at --store "
                  + OperatingStore.mask(url)
                  + " is in use by another process, and an embedded H2"
                  + " file serves one process at a time; run this command when it has finished, or"
                  + " let the processes share a PostgreSQL store (--store jdbc:postgresql://…)");
        }
        // Any other failure is reported by the pool below, with the store's message.
      }
    }

    /** The database file of an embedded H2 file URL, or empty for other URLs. */
    static Optional<Path> h2File(String url) {
      if (!url.startsWith("jdbc:h2:file:")) {
        return Optional.empty();
      }
      String name = url.substring("jdbc:h2:file:".length());
      int semicolon = name.indexOf(';');
      if (semicolon >= 0) {
        name = name.substring(0, semicolon);
      }
      if (name.startsWith("~")) {
        name = System.getProperty("user.home") + name.substring(1);
      }
      return Optional.of(Path.of(name + ".mv.db"));
    }
  }

  /** {@code opagent approvals list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the pending approval requests as JSON lines, oldest first.",
        "Each line has id, key, scope (campaign or action), campaign, actionType and customerId"
            + " (action scope only), reason (why approval is needed), requestedBy, requestedAt"
            + " and expiresAt (the request expires unanswered then).",
        "campaign, actionType and customerId are read from the key; when a campaign id itself"
            + " contains ':', key is the exact text."
      },
      footer = {
        "",
        "Examples:",
        "  bin/opagent approvals list",
        "  bin/opagent approvals list --store jdbc:postgresql://db/opagent \\",
        "      --store-user opagent",
        "",
        "Exit codes: 0 listed (also when none is pending), 2 usage error or the store cannot"
            + " be reached."
      })
  static final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin StoreOptions store;

    @Override
    public Integer call() {
      CommandLine cmd = spec.commandLine();
      PrintWriter out = cmd.getOut();
      PrintWriter err = cmd.getErr();
      try (OperatingStore s = store.open(cmd)) {
        Instant now = Clock.systemUTC().instant();
        List<ApprovalRequest> pending =
            s.approvalStore().pending().stream()
                .filter(r -> r.statusAt(now) == ApprovalStatus.PENDING)
                .toList();
        for (ApprovalRequest r : pending) {
          out.println(json(r, false));
        }
        out.flush();
        err.printf(
            "%d pending approval request%s in %s%n",
            pending.size(), pending.size() == 1 ? "" : "s", OperatingStore.mask(store.url));
        err.flush();
        return 0;
      } catch (StoreException e) {
        return storeFailed(err, "list", store.url, e);
      }
    }
  }

  /** {@code opagent approvals approve}. */
  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {
        "Grants a pending approval request.",
        "The actions it covers may run until the grant expires (--valid-for). Prints the"
            + " request afterwards as one JSON line."
      },
      footer = {
        "",
        "Examples:",
        "  bin/opagent approvals approve apr-0b6c… --by alice",
        "  bin/opagent approvals approve apr-0b6c… --by alice --reason 'budget approved' \\",
        "      --valid-for 24h",
        "",
        "Exit codes: 0 granted, 2 usage error, unknown id, request not pending (already"
            + " decided or expired), or the store cannot be reached."
      })
  static final class ApproveCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "ID", description = "The request's id, from 'list'.")
    String id;

    @Option(
        names = "--by",
        required = true,
        paramLabel = "NAME",
        description = "Who grants it, recorded in the audit trail.")
    String by;

    @Option(
        names = "--reason",
        defaultValue = "approved from the command line",
        paramLabel = "TEXT",
        description = "Why, recorded in the audit trail (default:" + " '${DEFAULT-VALUE}').")
    String reason;

    @Option(
        names = "--valid-for",
        defaultValue = "168h",
        converter = Durations.class,
        paramLabel = "DURATION",
        description =
            "How long the grant is valid, such as 24h or P7D"
                + " (default: ${DEFAULT-VALUE}, the approval gate's 7 days).")
    Duration validFor;

    @Override
    public Integer call() {
      return decide(spec.commandLine(), store, id, by, reason, true, validFor);
    }
  }

  /** {@code opagent approvals reject}. */
  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = {
        "Rejects a pending approval request.",
        "The actions it covers do not run until a new request for them is granted. Prints the"
            + " request afterwards as one JSON line."
      },
      footer = {
        "",
        "Examples:",
        "  bin/opagent approvals reject apr-0b6c… --by bob --reason 'discount too deep'",
        "",
        "Exit codes: 0 rejected, 2 usage error, unknown id, request not pending (already"
            + " decided or expired), or the store cannot be reached."
      })
  static final class RejectCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "ID", description = "The request's id, from 'list'.")
    String id;

    @Option(
        names = "--by",
        required = true,
        paramLabel = "NAME",
        description = "Who rejects it, recorded in the audit trail.")
    String by;

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why, recorded in the audit trail.")
    String reason;

    @Override
    public Integer call() {
      return decide(spec.commandLine(), store, id, by, reason, false, null);
    }
  }

  private static int decide(
      CommandLine cmd,
      StoreOptions store,
      String id,
      String by,
      String reason,
      boolean grant,
      Duration validFor) {
    String verb = grant ? "approve" : "reject";
    if (by.isBlank()) {
      throw new CommandLine.ParameterException(
          cmd, "--by must name who decides, such as" + " --by alice");
    }
    if (reason.isBlank()) {
      throw new CommandLine.ParameterException(
          cmd, "--reason must say why, such as" + " --reason 'budget approved'");
    }
    if (validFor != null && (validFor.isNegative() || validFor.isZero())) {
      throw new CommandLine.ParameterException(
          cmd, "--valid-for must be positive, such as 24h" + " or P7D, but was " + validFor);
    }
    PrintWriter out = cmd.getOut();
    PrintWriter err = cmd.getErr();
    try (OperatingStore s = store.open(cmd)) {
      ApprovalGate.Builder b =
          ApprovalGate.builder().clock(Clock.systemUTC()).store(s.approvalStore());
      if (validFor != null) {
        b.approvalValidity(validFor);
      }
      ApprovalGate gate = b.build();
      Optional<ApprovalRequest> before = gate.find(id);
      if (before.isEmpty()) {
        err.println(
            "opagent approvals "
                + verb
                + ": no approval request has id "
                + id
                + " in "
                + OperatingStore.mask(store.url)
                + "; list the pending ones with 'opagent approvals"
                + " list"
                + storeArgs(store)
                + "'");
        err.flush();
        return 2;
      }
      ApprovalRequest after =
          (grant ? gate.grant(id, by, reason) : gate.reject(id, by, reason)).orElseThrow();
      ApprovalStatus wanted = grant ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
      boolean decidedNow =
          before.get().status() == ApprovalStatus.PENDING
              && after.status() == wanted
              && by.equals(after.decidedBy())
              && reason.equals(after.reason());
      if (!decidedNow) {
        err.println(
            "opagent approvals "
                + verb
                + ": approval request "
                + id
                + " is not pending: "
                + describe(after)
                + "; nothing was changed");
        err.flush();
        return 2;
      }
      out.println(json(after, true));
      out.flush();
      err.println(
          (grant ? "approved " : "rejected ")
              + id
              + " ("
              + scopeText(after.key())
              + ")"
              + (grant && after.validUntil() != null ? " until " + after.validUntil() : ""));
      err.flush();
      return 0;
    } catch (StoreException e) {
      return storeFailed(err, verb, store.url, e);
    }
  }

  private static String storeArgs(StoreOptions store) {
    return StoreOptions.DEFAULT_URL.equals(store.url)
        ? ""
        : " --store " + OperatingStore.mask(store.url);
  }

  private static int storeFailed(PrintWriter err, String verb, String url, StoreException e) {
    err.println(
        "opagent approvals "
            + verb
            + ": the operating store at "
            + OperatingStore.mask(url)
            + " failed: "
            + e.getMessage());
    err.flush();
    return 2;
  }

  /** Where a request that is not pending stands, for a message (no customer data). */
  static String describe(ApprovalRequest r) {
    return switch (r.status()) {
      case APPROVED -> "it was approved by " + r.decidedBy() + " at " + r.decidedAt();
      case REJECTED -> "it was rejected by " + r.decidedBy() + " at " + r.decidedAt();
      case EXPIRED ->
          r.validUntil() != null
              ? "its grant by " + r.decidedBy() + " expired at " + r.validUntil()
              : "it expired unanswered at "
                  + r.deadline()
                  + "; the loop files a new request the"
                  + " next time it plans the action";
      default -> "it is " + r.status();
    };
  }

  /** The scope and campaign of a key, for a message (never the customer id). */
  static String scopeText(ApprovalKey key) {
    Parsed p = Parsed.of(key);
    return p.campaign == null ? p.scope + " scope" : p.scope + " scope, campaign " + p.campaign;
  }

  /** One request as a JSON object; with {@code decision}, also its status and decision. */
  static String json(ApprovalRequest r, boolean decision) {
    Parsed p = Parsed.of(r.key());
    ObjectNode n = JsonLines.MAPPER.createObjectNode();
    n.put("id", r.id());
    n.put("key", r.key().value());
    n.put("scope", p.scope);
    n.put("campaign", p.campaign);
    n.put("actionType", p.actionType);
    n.put("customerId", p.customerId);
    n.put("reason", r.summary());
    n.put("requestedBy", r.requestedBy());
    n.put("requestedAt", r.requestedAt().toString());
    n.put("expiresAt", r.deadline().toString());
    n.put("cost", r.cost());
    if (decision) {
      n.put("status", r.status().name());
      n.put("decidedBy", r.decidedBy());
      n.put("decidedAt", Objects.toString(r.decidedAt(), null));
      n.put("decisionReason", r.reason());
      n.put("validUntil", Objects.toString(r.validUntil(), null));
    }
    try {
      return JsonLines.MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A key read back into its parts: {@code campaign:<campaign>} or {@code
   * action:<campaign>:<customer>:<actionType>}. Campaign ids may contain {@code :}; the campaign is
   * taken up to the first one and the action type after the last one. Other keys have the scope
   * {@code custom} and no parts.
   */
  record Parsed(String scope, String campaign, String actionType, String customerId) {
    static Parsed of(ApprovalKey key) {
      String v = key.value();
      if (v.startsWith("campaign:") && v.length() > "campaign:".length()) {
        return new Parsed("campaign", v.substring("campaign:".length()), null, null);
      }
      if (v.startsWith("action:")) {
        String rest = v.substring("action:".length());
        int first = rest.indexOf(':');
        int last = rest.lastIndexOf(':');
        if (first > 0 && last > first + 1 && last < rest.length() - 1) {
          return new Parsed(
              "action",
              rest.substring(0, first),
              rest.substring(last + 1),
              rest.substring(first + 1, last));
        }
      }
      return new Parsed("custom", null, null, null);
    }
  }
}
