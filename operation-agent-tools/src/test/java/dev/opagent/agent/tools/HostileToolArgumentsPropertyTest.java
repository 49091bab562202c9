package dev.opagent.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.policy.DecisionPolicy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Random and hostile arguments to every SDK tool, through the registry: wrong types, huge numbers,
 * deep nesting, long strings, unknown fields, NaN-like strings, missing fields, and sometimes the
 * real ids of customers and plans. Every call answers a typed result in time, no tool throws, and
 * nothing the host's facts block is ever chosen or delivered.
 */
class HostileToolArgumentsPropertyTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The default policy: consent, caps, quiet hours, approvals of 20% discounts. */
  private static final ToolFixtures HOST = new ToolFixtures(DecisionPolicy.ofDefaults());

  private static final List<String> CUSTOMERS = List.of("C-none", "C-email", "C-sms");
  private static final List<String> PLAN_IDS;
  private static final Set<String> STATUSES =
      Set.of(
          "ok",
          "unknown_tool",
          "invalid_arguments",
          "failed",
          "approval_required",
          "already_executed");

  static {
    HOST.atRisk("C-none");
    HOST.atRisk("C-email", Channel.EMAIL);
    HOST.atRisk("C-sms", Channel.SMS);
    PLAN_IDS = CUSTOMERS.stream().map(c -> HOST.plan(c).get("planId").asText()).toList();
  }

  private static final List<String> KEYS =
      List.of(
          "customerId",
          "bypassCache",
          "planId",
          "campaign",
          "actionType",
          "consents",
          "consent",
          "timeZone",
          "analysis",
          "attributes",
          "customerData",
          "approved",
          "__proto__",
          "");

  @Provide
  Arbitrary<String> tools() {
    return Arbitraries.of(HOST.registry.names());
  }

  @Provide
  Arbitrary<JsonNode> arguments() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, objects(3)),
        Tuple.of(5, shaped()),
        Tuple.of(1, scalars()),
        Tuple.of(1, deep()));
  }

  /** Arguments of the right shape with plausible or hostile values, sometimes with a claim. */
  private Arbitrary<JsonNode> shaped() {
    Arbitrary<JsonNode> ids =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(CUSTOMERS).map(F::textNode)), Tuple.of(1, scalars()));
    Arbitrary<JsonNode> plans =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(PLAN_IDS).map(F::textNode)), Tuple.of(1, scalars()));
    Arbitrary<String> campaigns = Arbitraries.of("winback", "sms_nudge", "nope", "");
    Arbitrary<String> types = Arbitraries.of("send_email", "send_sms", "create_discount");
    Arbitrary<JsonNode> claims =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(F.missingNode())), Tuple.of(1, value(1)));
    Arbitrary<String> claimKeys = Arbitraries.of(KEYS);
    return Combinators.combine(
            Arbitraries.of(true, false), ids, plans, campaigns, types, claimKeys, claims)
        .as(
            (byCustomer, id, plan, campaign, type, claimKey, claim) -> {
              ObjectNode o = F.objectNode();
              if (byCustomer) {
                o.set("customerId", id);
              } else {
                o.set("planId", plan);
                o.put("campaign", campaign);
                o.put("actionType", type);
              }
              if (!claim.isMissingNode()) {
                o.set(claimKey, claim);
              }
              return o;
            });
  }

  private Arbitrary<JsonNode> objects(int depth) {
    Arbitrary<String> keys =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.of(KEYS)), Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
    Arbitrary<JsonNode> values = value(depth);
    return Combinators.combine(keys, values)
        .as(Map::entry)
        .list()
        .ofMaxSize(6)
        .map(
            entries -> {
              ObjectNode o = F.objectNode();
              entries.forEach(e -> o.set(e.getKey(), e.getValue()));
              return o;
            });
  }

  private Arbitrary<JsonNode> value(int depth) {
    Arbitrary<JsonNode> plausible =
        Arbitraries.of(
            F.textNode("C-none"),
            F.textNode("C-email"),
            F.textNode("C-sms"),
            F.textNode("C-404"),
            F.textNode(PLAN_IDS.get(0)),
            F.textNode(PLAN_IDS.get(1)),
            F.textNode(PLAN_IDS.get(2)),
            F.textNode("plan-00000000-0000-0000-0000-000000000000"),
            F.textNode("winback"),
            F.textNode("sms_nudge"),
            F.textNode("send_email"),
            F.textNode("send_sms"),
            F.textNode("create_discount"),
            F.booleanNode(true),
            F.arrayNode().add("sms").add("email"),
            F.textNode("UTC"));
    if (depth <= 0) {
      return Arbitraries.frequencyOf(Tuple.of(3, plausible), Tuple.of(2, scalars()));
    }
    return Arbitraries.frequencyOf(
        Tuple.of(4, plausible),
        Tuple.of(3, scalars()),
        Tuple.of(1, Arbitraries.lazy(() -> objects(depth - 1))),
        Tuple.of(
            1,
            Arbitraries.lazy(() -> value(depth - 1))
                .list()
                .ofMaxSize(4)
                .map(
                    l -> {
                      ArrayNode a = F.arrayNode();
                      l.forEach(a::add);
                      return a;
                    })));
  }

  private static Arbitrary<JsonNode> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.of(
                "NaN",
                "Infinity",
                "-Infinity",
                "-0",
                "1e999",
                "null",
                "true",
                "",
                " ",
                "\u0000",
                "C-1\nC-2",
                "../../etc/passwd",
                "{\"consents\": [\"sms\"]}")
            .map(F::textNode),
        Arbitraries.strings().ofMaxLength(50).map(F::textNode),
        Arbitraries.strings()
            .withChars('a', 'Z', '-', '\u00e7')
            .ofMinLength(5_000)
            .ofMaxLength(20_000)
            .map(F::textNode),
        Arbitraries.longs().map(F::numberNode),
        Arbitraries.doubles().map(F::numberNode),
        Arbitraries.of(
                new BigDecimal("1e400"),
                new BigDecimal("-1e-400"),
                new BigDecimal(BigInteger.TEN.pow(300)))
            .map(F::numberNode),
        Arbitraries.of(F.booleanNode(false), F.nullNode(), F.arrayNode(), F.objectNode()));
  }

  private static Arbitrary<JsonNode> deep() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 1_500),
            Arbitraries.of(KEYS),
            Arbitraries.of(true, false))
        .as(
            (depth, key, arrays) -> {
              JsonNode inner = F.textNode("C-sms");
              for (int i = 0; i < depth; i++) {
                inner = arrays ? F.arrayNode().add(inner) : F.objectNode().set(key, inner);
              }
              return F.objectNode().set(key, inner);
            });
  }

  @Property(tries = 1_000, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF) // collected for a failure's report
  void dispatch_hostileArgumentsToEveryTool_answersTypedInTimeAndPassesNoGuardrail(
      @ForAll("tools") String tool, @ForAll("arguments") JsonNode arguments) {
    ToolResult r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> HOST.registry.dispatch(tool, arguments));

    checked(tool, r);
  }

  @Provide
  Arbitrary<String> argumentTexts() {
    Arbitrary<String> shallow =
        Arbitraries.oneOf(objects(2), shaped(), shaped(), scalars()).map(JsonNode::toString);
    Arbitrary<String> deepText =
        Combinators.combine(
                Arbitraries.integers().between(900, 5_000),
                Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of(true, false))
            .as(
                (depth, open, closed) -> {
                  String close = open.equals("[") ? "]" : "}";
                  return "{\"customerId\": "
                      + open.repeat(depth)
                      + "\"C-sms\""
                      + (closed ? close.repeat(depth) + "}" : "");
                });
    Arbitrary<String> garbage =
        Arbitraries.of(
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "\"customerId\"",
                "\"planId\"",
                "\"consents\"",
                "NaN",
                "1e999",
                "-",
                "\"C-sms\"",
                "null",
                "\\u0000",
                "'")
            .list()
            .ofMaxSize(30)
            .map(l -> String.join("", l));
    return Arbitraries.frequencyOf(
        Tuple.of(6, shallow), Tuple.of(1, deepText), Tuple.of(3, garbage));
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF) // collected for a failure's report
  void dispatch_hostileArgumentTextToEveryTool_answersTypedInTimeAndPassesNoGuardrail(
      @ForAll("tools") String tool, @ForAll("argumentTexts") String text) {
    ToolResult r =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> HOST.registry.dispatch(tool, text));

    checked(tool, r);
  }

  private static void checked(String tool, ToolResult r) {
    assertThat(r).isNotNull();
    Statistics.label("outcome").collect(tool, r.toJson().get("status").asText());
    assertThat(r.toJson().get("status").asText()).isIn(STATUSES);
    if (r instanceof ToolResult.Failed f) {
      // a tool that throws or answers unwritable JSON on bad input is a bug, not a value
      assertThat(f.code())
          .isNotIn(
              ToolErrorCode.TOOL_FAILED,
              ToolErrorCode.RESULT_NOT_SERIALIZABLE,
              ToolErrorCode.TIMED_OUT);
    }
    if (r instanceof ToolResult.Ok ok && tool.equals("plan_actions")) {
      String customer = ok.content().get("customerId").asText();
      for (JsonNode a : ok.content().get("actions")) {
        if (a.get("status").asText().equals("CHOSEN")) {
          assertThat(consented(customer, a.get("channel").asText())).as(a.toString()).isTrue();
        }
      }
    }
    synchronized (HOST.delivered) {
      for (PlannedAction a : HOST.delivered) {
        assertThat(a.channel()).isNotNull();
        assertThat(consented(a.customerId(), a.channel().id())).as(a.toString()).isTrue();
        if (a.discountRate() >= 0.2) {
          // no human granted anything here, so no deep discount may go out
          assertThat(
                  HOST.gate.check(ApprovalKey.action(a.campaign(), a.customerId(), a.actionType())))
              .isEqualTo(ApprovalStatus.APPROVED);
        }
      }
    }
  }

  private static boolean consented(String customer, String channel) {
    Set<String> ids =
        HOST.customers.get(customer).consents().stream()
            .map(Channel::id)
            .collect(Collectors.toSet());
    return ids.contains(channel);
  }
}
