package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.DecisionRun;
import dev.opagent.agent.engine.GuardrailVerdict;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.engine.RunSummary;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.store.OperatingStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opagent plan}: what the loop would do for each customer, with every guardrail's say. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    customSynopsis = "opagent plan --customers FILE --output FILE [OPTIONS]",
    description = {
      "Decides, without side effects, which actions each customer would get: segments (from"
          + " --segments or live), campaign eligibility, then the decision engine's ranking and"
          + " guardrails in a dry run against the --store (so contacts, money and daily"
          + " executions of earlier rounds count; nothing is written to it). Writes one line per"
          + " customer:",
      "  {\"customerId\", \"outcome\", \"chosen\": [...], \"notChosen\": [{\"campaign\","
          + " \"actionType\", \"status\", \"reason\", \"message\", \"until\"}]}"
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent plan --customers examples/data/seed-customers.jsonl --consent email,push,in_app \\",
      "      --output plan.jsonl --as-of 2026-03-15",
      "  bin/opagent plan --customers customers.jsonl --segments results.jsonl --policy policy.json --output plan.jsonl",
      "",
      "Without --segments, customers are segmented live through --agent-arn/--endpoint, or by the"
          + " embedded simulator when neither is given.",
      "Exit codes: 0 every customer planned, 3 some could not be (unreadable line, failed"
          + " segmentation), 2 usage, rules or policy error."
    })
public final class PlanCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin LoopOptions loop;

  @Mixin StoreOptions store;

  @Option(
      names = "--segments",
      paramLabel = "FILE",
      description = "Segment results as 'opagent segment' writes them, instead of segmenting live.")
  Path segments;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "Where to write one line per customer.")
  Path output;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    PrintWriter err = cmd.getErr();
    OutputFile.refuseSameFile(cmd, "--output", output, "--customers", loop.customers);
    OutputFile.refuseSameFile(cmd, "--output", output, "--segments", segments);
    OutputFile.refuseSameFile(cmd, "--output", output, "--rules", loop.rules);
    OutputFile.refuseSameFile(cmd, "--output", output, "--policy", loop.policy);
    RuleSet rules = loop.rules(cmd);
    DecisionPolicy policy = loop.policy(cmd);
    Clock clock = loop.clock();
    OperationAgent.ContextCustomizer customizer = loop.customizer(cmd);
    List<String> bad = new ArrayList<>();
    List<CustomerData> customers = loop.readCustomers(cmd, bad);
    List<SegmentOutcome> outcomes =
        segments != null ? fromFile(cmd, customers) : segmentLive(cmd, clock, customers);
    CampaignEvaluator evaluator = CampaignEvaluator.builder().clock(clock).build();
    LocalDate asOf = LocalDate.ofInstant(clock.instant(), policy.operatingZone());
    long failed = bad.size();
    CustomerContext[] contexts = new CustomerContext[customers.size()];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < customers.size(); i++) {
      if (outcomes.get(i) instanceof SegmentOutcome.Success success) {
        CustomerData data = customers.get(i);
        SegmentAnalysis analysis = success.analysis();
        Eligibility eligibility =
            evaluator.evaluate(
                rules,
                data.customerId(),
                CustomerViews.of(data, analysis, customizer.attributes(data), asOf));
        CustomerContext.Builder cb =
            CustomerContext.builder(eligibility).customerData(data).analysis(analysis);
        customizer.customize(data, analysis, cb);
        contexts[i] = cb.build();
        ids.add(data.customerId());
      }
    }
    // One dry batch against the store: what earlier rounds delivered or reserved counts, and
    // approvals granted in it apply.
    Decision[] decisions;
    DecisionRun run;
    try (OperatingStore opened = store.open(cmd)) {
      DecisionEngine engine =
          DecisionEngine.builder()
              .policy(policy)
              .clock(clock)
              .approvalGate(opened.approvalGate(clock))
              .build();
      run = engine.startRun(RunMode.DRY_RUN);
      decisions =
          opened
              .operatingState()
              .inBatch(
                  ids,
                  policy,
                  clock.instant(),
                  batch -> {
                    DecisionRun.Against against = run.against(batch);
                    Decision[] out = new Decision[contexts.length];
                    for (int i = 0; i < contexts.length; i++) {
                      if (contexts[i] != null) {
                        out[i] = against.decide(contexts[i]);
                      }
                    }
                    return out;
                  });
    }
    try (OutputFile out = OutputFile.create(output)) {
      BufferedWriter w = out.writer();
      for (int i = 0; i < customers.size(); i++) {
        ObjectNode line = JsonLines.MAPPER.createObjectNode();
        line.put("customerId", customers.get(i).customerId());
        line.putNull("outcome");
        if (outcomes.get(i) instanceof SegmentOutcome.Failure f) {
          failed++;
          line.put("outcome", "SEGMENTATION_FAILED");
          line.putObject("error").put("code", f.code().name()).put("message", f.message());
        } else {
          write(line, decisions[i]);
        }
        w.write(JsonLines.MAPPER.writeValueAsString(line));
        w.newLine();
      }
      out.commit();
    }
    RunSummary s = run.summary();
    err.printf(
        "planned %d customers (dry run, nothing sent): %d actions chosen, %d blocked,"
            + " %d deferred, %d suppressed; %d customers could not be planned%n",
        s.customers(), s.chosen(), s.blocked(), s.deferred(), s.suppressed(), failed);
    for (Map.Entry<ReasonCode, Long> e : s.reasons().entrySet()) {
      err.printf("  %-20s %d%n", e.getKey(), e.getValue());
    }
    bad.forEach(b -> err.println("  skipped " + b));
    err.println("wrote " + output);
    err.flush();
    return failed == 0 ? 0 : 3;
  }

  private List<SegmentOutcome> segmentLive(
      CommandLine cmd, Clock clock, List<CustomerData> customers) {
    try (LoopOptions.Agent agent = loop.agent(cmd, clock)) {
      return agent.client().analyzeAll(customers);
    }
  }

  private List<SegmentOutcome> fromFile(CommandLine cmd, List<CustomerData> customers)
      throws IOException {
    if (!Files.isReadable(segments)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --segments " + segments + ": no such readable file");
    }
    Map<String, JsonNode> byId = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(segments, StandardCharsets.UTF_8)) {
      long n = 0;
      for (String text; (text = r.readLine()) != null; ) {
        n++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JsonLines.MAPPER.readTree(text);
        } catch (IOException e) {
          throw new CommandLine.ParameterException(
              cmd, "--segments " + segments + " line " + n + " is not valid JSON");
        }
        if (node.hasNonNull("customerId")) {
          byId.put(node.get("customerId").asText(), node);
        }
      }
    }
    List<SegmentOutcome> out = new ArrayList<>(customers.size());
    for (int i = 0; i < customers.size(); i++) {
      String id = customers.get(i).customerId();
      JsonNode line = byId.get(id);
      if (line == null || !"SUCCESS".equals(line.path("status").asText())) {
        String why =
            line == null
                ? "no line for this customer in --segments"
                : "segmentation failed: " + line.path("error").path("code").asText("unknown");
        out.add(
            new SegmentOutcome.Failure(
                i, id, dev.opagent.segment.ErrorCode.INVALID_INPUT, why, false, 0, null));
        continue;
      }
      try {
        SegmentAnalysis a =
            JsonLines.MAPPER.treeToValue(line.get("analysis"), SegmentAnalysis.class);
        out.add(new SegmentOutcome.Success(i, id, a, dev.opagent.segment.Source.AGENT, 0));
      } catch (IOException | IllegalArgumentException e) {
        out.add(
            new SegmentOutcome.Failure(
                i,
                id,
                dev.opagent.segment.ErrorCode.INVALID_INPUT,
                "the analysis in --segments cannot be read",
                false,
                0,
                null));
      }
    }
    return out;
  }

  private static void write(ObjectNode line, Decision d) {
    ArrayNode chosen = line.putArray("chosen");
    ArrayNode notChosen = line.putArray("notChosen");
    for (PlannedAction a : d.candidates()) {
      ObjectNode o = (a.isChosen() ? chosen : notChosen).addObject();
      o.put("campaign", a.campaign())
          .put("actionType", a.actionType())
          .put("channel", a.channel() == null ? null : a.channel().id());
      if (a.isChosen()) {
        o.put("score", a.score().score())
            .put("probability", a.score().probability())
            .put("plannedAt", a.plannedAt().toString());
      } else {
        GuardrailVerdict v = a.deciding();
        o.put("status", a.status().name())
            .put("reason", a.reason().name())
            .put("message", v == null ? null : v.message());
        if (a.until() != null) {
          o.put("until", a.until().toString());
        }
      }
    }
    String outcome =
        !chosen.isEmpty()
            ? "ACTIONS_PLANNED"
            : d.isHeldOut() || (d.candidates().isEmpty() && !d.heldOut().isEmpty())
                ? "HELD_OUT"
                : d.candidates().isEmpty() ? "NOT_ELIGIBLE" : "NO_ACTION_CHOSEN";
    line.put("outcome", outcome);
    if (!d.heldOut().isEmpty()) {
      ArrayNode h = line.putArray("heldOut");
      d.heldOut().forEach(x -> h.add(x.campaign()));
    }
  }
}
