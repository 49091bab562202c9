package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.AuditEvent;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code opagent approvals list | approve | reject} on an H2 file store the loop also opens. */
class ApprovalsCommandTest {
  private static final ApprovalKey WINBACK = ApprovalKey.campaign("winback");
  private static final ApprovalKey DISCOUNT =
      ApprovalKey.action("retention", "C-1001", "create_discount");

  @TempDir Path dir;
  private String url;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void store() {
    url = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
  }

  /** Files requests as the loop would: through its own store and gate, closed afterwards. */
  private List<ApprovalRequest> fileRequests() {
    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      ApprovalGate gate = store.approvalGate(Clock.systemUTC());
      List<ApprovalRequest> filed = new ArrayList<>();
      filed.add(gate.request(WINBACK, "audience 1200 above 1000", "decision-engine"));
      filed.add(gate.request(DISCOUNT, "discount 25% reaches 20%", "decision-engine"));
      ApprovalRequest decided = gate.request(ApprovalKey.campaign("loyalty"), "why", "engine");
      gate.reject(decided.id(), "bob", "not this quarter");
      return filed;
    }
  }

  private int run(String... args) {
    CommandLine cmd = OpagentCommand.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private List<JsonNode> outLines() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String l : out.toString().split("\\R")) {
      if (!l.isBlank()) {
        lines.add(JsonLines.MAPPER.readTree(l));
      }
    }
    return lines;
  }

  @Test
  void list_pendingRequests_printsOneJsonLineEachWithItsParts() throws IOException {
    List<ApprovalRequest> filed = fileRequests();

    int code = run("approvals", "list", "--store", url);

    assertThat(code).as(err.toString()).isZero();
    List<JsonNode> lines = outLines();
    assertThat(lines).hasSize(2);
    JsonNode campaign = lines.get(0);
    assertThat(campaign.get("id").asText()).isEqualTo(filed.get(0).id());
    assertThat(campaign.get("scope").asText()).isEqualTo("campaign");
    assertThat(campaign.get("campaign").asText()).isEqualTo("winback");
    assertThat(campaign.get("actionType").isNull()).isTrue();
    assertThat(campaign.get("reason").asText()).isEqualTo("audience 1200 above 1000");
    assertThat(campaign.get("cost").isNull()).as("filed without a cost").isTrue();
    assertThat(Instant.parse(campaign.get("requestedAt").asText()))
        .isEqualTo(filed.get(0).requestedAt().truncatedTo(ChronoUnit.MICROS));
    assertThat(
            Duration.between(
                Instant.parse(campaign.get("requestedAt").asText()),
                Instant.parse(campaign.get("expiresAt").asText())))
        .isEqualTo(Duration.ofHours(48));
    JsonNode action = lines.get(1);
    assertThat(action.get("scope").asText()).isEqualTo("action");
    assertThat(action.get("campaign").asText()).isEqualTo("retention");
    assertThat(action.get("actionType").asText()).isEqualTo("create_discount");
    assertThat(action.get("customerId").asText()).isEqualTo("C-1001");
    assertThat(action.get("key").asText()).isEqualTo(DISCOUNT.value());
    assertThat(err.toString()).contains("2 pending approval requests in " + url);
  }

  @Test
  void approve_pending_isApprovedForTheLoopWithActorAndReason() throws IOException {
    ApprovalRequest r = fileRequests().get(0);

    int code =
        run(
            "approvals",
            "approve",
            r.id(),
            "--by",
            "alice",
            "--reason",
            "spring budget approved",
            "--valid-for",
            "24h",
            "--store",
            url);

    assertThat(code).as(err.toString()).isZero();
    JsonNode line = outLines().get(0);
    assertThat(line.get("status").asText()).isEqualTo("APPROVED");
    assertThat(line.get("decidedBy").asText()).isEqualTo("alice");
    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      ApprovalGate gate = store.approvalGate(Clock.systemUTC());
      assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.APPROVED);
      ApprovalRequest granted = gate.find(r.id()).orElseThrow();
      assertThat(Duration.between(granted.decidedAt(), granted.validUntil()))
          .isEqualTo(Duration.ofHours(24));
      assertThat(gate.auditTrail(WINBACK))
          .last()
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(AuditEvent.Type.GRANTED);
                assertThat(e.actor()).isEqualTo("alice");
                assertThat(e.reason()).isEqualTo("spring budget approved");
              });
    }
    out.getBuffer().setLength(0);
    assertThat(run("approvals", "list", "--store", url)).isZero();
    assertThat(outLines()).extracting(n -> n.get("id").asText()).doesNotContain(r.id());
  }

  @Test
  void reject_pending_isRejectedForTheLoop() {
    ApprovalRequest r = fileRequests().get(1);

    int code =
        run(
            "approvals",
            "reject",
            r.id(),
            "--by",
            "bob",
            "--reason",
            "discount too deep",
            "--store",
            url);

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains("rejected " + r.id() + " (action scope, campaign" + " retention)")
        .doesNotContain("C-1001");
    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      assertThat(store.approvalGate(Clock.systemUTC()).check(DISCOUNT))
          .isEqualTo(ApprovalStatus.REJECTED);
    }
  }

  @Test
  void reject_withoutReason_exits2NamingTheOption() {
    ApprovalRequest r = fileRequests().get(0);

    assertThat(run("approvals", "reject", r.id(), "--by", "bob", "--store", url)).isEqualTo(2);
    assertThat(err.toString()).contains("--reason");
  }

  @Test
  void approve_blankBy_exits2NamingTheOption() {
    ApprovalRequest r = fileRequests().get(0);

    assertThat(run("approvals", "approve", r.id(), "--by", " ", "--store", url)).isEqualTo(2);
    assertThat(err.toString()).contains("--by must name who decides");
  }

  @Test
  void approve_unknownId_exits2AndPointsToList() {
    fileRequests();

    int code = run("approvals", "approve", "apr-404", "--by", "alice", "--store", url);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("no approval request has id apr-404")
        .contains("opagent approvals list --store " + url);
  }

  @Test
  void approve_alreadyRejected_exits2AndChangesNothing() {
    ApprovalRequest r = fileRequests().get(0);
    assertThat(run("approvals", "reject", r.id(), "--by", "bob", "--reason", "no", "--store", url))
        .isZero();

    int code = run("approvals", "approve", r.id(), "--by", "alice", "--store", url);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("approval request " + r.id() + " is not pending: it was" + " rejected by bob");
    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      assertThat(store.approvalGate(Clock.systemUTC()).check(WINBACK))
          .isEqualTo(ApprovalStatus.REJECTED);
    }
  }

  @Test
  void list_noStoreAtTheUrl_exits2WithTheMaskedUrlAndTheFix() {
    String missing =
        "jdbc:h2:file:" + dir.resolve("nowhere").toAbsolutePath() + ";PASSWORD=hunter2";

    int code = run("approvals", "list", "--store", missing);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("no operating store at --store")
        .contains("PASSWORD=***")
        .contains("pass the --store the loop uses")
        .doesNotContain("hunter2");
  }

  @Test
  void approvals_withoutSubcommand_exits2ListingThem() {
    assertThat(run("approvals")).isEqualTo(2);
    assertThat(err.toString()).contains("a subcommand is required: list, approve or reject");
  }
}
