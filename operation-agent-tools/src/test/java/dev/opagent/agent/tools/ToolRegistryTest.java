package dev.opagent.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.approval.ApprovalStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  enum Tier {
    PLATIN,
    ALTIN
  }

  @Description("Finds customers.")
  record SearchArgs(
      @Description("Free text") String query,
      int limit,
      @Nullable Tier tier,
      Optional<List<String>> cities) {}

  record SearchResult(String query, int count) {}

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ToolDefinition<SearchArgs, SearchResult> search() {
    return ToolDefinition.builder("search_customers", SearchArgs.class)
        .description("Searches customers by text.")
        .readOnly(true)
        .build(a -> new SearchResult(a.query(), a.limit()));
  }

  private static ToolRegistry registry() {
    return ToolRegistry.create().register(search());
  }

  @Test
  void dispatch_validArguments_returnsTheTypedResultAsJson() {
    ToolResult r =
        registry()
            .dispatch(
                "search_customers",
                json("{\"query\": \"istanbul\", \"limit\": 5, \"tier\": \"PLATIN\"}"));

    assertThat(r).isInstanceOf(ToolResult.Ok.class);
    assertThat(((ToolResult.Ok) r).content())
        .isEqualTo(json("{\"query\":\"istanbul\",\"count\":5}"));
    assertThat(r.isError()).isFalse();
    assertThat(r.toJson().get("status").asText()).isEqualTo("ok");
  }

  @Test
  void dispatch_argumentTextNestedBeyondTheParsersLimit_answersInvalidArgumentsNotAnException() {
    // The parser's nesting limit throws without a location; that once escaped as an NPE.
    String deep = "{\"query\": " + "[".repeat(1_500) + "1" + "]".repeat(1_500) + "}";

    ToolResult r = registry().dispatch("search_customers", deep);

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.InvalidArguments.class,
            i ->
                assertThat(i.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.keyword()).isEqualTo("json");
                          assertThat(p.message()).contains("limits on nesting");
                        }));
  }

  @Test
  void dispatch_moreCallsThanAllowedAtOnce_answersBusyAtOnce() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    ToolRegistry registry =
        ToolRegistry.builder()
            .maxConcurrentCalls(1)
            .build()
            .register(
                ToolDefinition.builder("wait", SearchArgs.class)
                    .description("Waits.")
                    .build(
                        a -> {
                          started.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return "done";
                        }));
    Thread first =
        new Thread(() -> registry.dispatch("wait", json("{\"query\": \"a\", \"limit\": 1}")));
    first.start();
    try {
      started.await();

      ToolResult r = registry.dispatch("wait", json("{\"query\": \"b\", \"limit\": 1}"));

      assertThat(r)
          .isInstanceOfSatisfying(
              ToolResult.Failed.class, f -> assertThat(f.code()).isEqualTo(ToolErrorCode.BUSY));
    } finally {
      release.countDown();
      first.join();
    }
  }

  @Test
  void dispatch_hallucinatedName_answersWithTheAvailableTools() {
    ToolRegistry registry =
        registry()
            .register(
                ToolDefinition.builder("ping", JsonNode.class)
                    .description("Answers pong.")
                    .inputSchema("{\"type\": \"object\"}")
                    .build(a -> "pong"));

    ToolResult r = registry.dispatch("get_current_bill", json("{}"));

    assertThat(r)
        .isEqualTo(
            new ToolResult.UnknownTool("get_current_bill", List.of("search_customers", "ping")));
    assertThat(r.isError()).isTrue();
    assertThat(r.toJson().get("error").asText())
        .isEqualTo("no tool named 'get_current_bill'; available tools: search_customers, ping");
  }

  @Test
  void dispatch_wrongTypes_reportsEachWithItsPointer() {
    ToolResult r =
        registry()
            .dispatch(
                "search_customers",
                json("{\"query\": 42, \"limit\": \"five\", \"tier\": \"BRONZ\"}"));

    assertThat(r).isInstanceOf(ToolResult.InvalidArguments.class);
    List<ArgumentProblem> problems = ((ToolResult.InvalidArguments) r).problems();
    assertThat(problems)
        .extracting(ArgumentProblem::pointer, ArgumentProblem::keyword)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/limit", "type"),
            org.assertj.core.groups.Tuple.tuple("/query", "type"),
            org.assertj.core.groups.Tuple.tuple("/tier", "enum"));
    assertThat(problems.get(0).message()).contains("integer");
  }

  @Test
  void dispatch_missingRequiredField_pointsAtTheMissingProperty() {
    ToolResult r = registry().dispatch("search_customers", json("{\"query\": \"x\"}"));

    assertThat(r).isInstanceOf(ToolResult.InvalidArguments.class);
    assertThat(((ToolResult.InvalidArguments) r).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.pointer()).isEqualTo("/limit");
              assertThat(p.keyword()).isEqualTo("required");
              assertThat(p.message()).contains("limit");
            });
  }

  @Test
  void dispatch_unknownProperty_isRejected() {
    ToolResult r =
        registry()
            .dispatch(
                "search_customers", json("{\"query\": \"x\", \"limit\": 1, \"sql\": \"drop\"}"));

    assertThat(((ToolResult.InvalidArguments) r).problems())
        .extracting(ArgumentProblem::pointer, ArgumentProblem::keyword)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/sql", "additionalProperties"));
  }

  @Test
  void dispatch_nullOrMissingArguments_readAsEmptyObject() {
    ToolResult r = registry().dispatch("search_customers", (JsonNode) null);

    assertThat(((ToolResult.InvalidArguments) r).problems())
        .extracting(ArgumentProblem::pointer)
        .containsExactly("/limit", "/query");
  }

  @Test
  void dispatch_argumentsAsJsonText_parseOrReportMalformedJson() {
    ToolRegistry registry = registry();

    assertThat(registry.dispatch("search_customers", "{\"query\": \"x\", \"limit\": 2}"))
        .isInstanceOf(ToolResult.Ok.class);
    ToolResult bad = registry.dispatch("search_customers", "{\"query\": \"Ayşe Yılmaz\", ");
    assertThat(((ToolResult.InvalidArguments) bad).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.keyword()).isEqualTo("json");
              assertThat(p.message()).doesNotContain("Ayşe");
            });
    assertThat(registry.dispatch("nope", "{not json")).isInstanceOf(ToolResult.UnknownTool.class);
  }

  @Test
  void dispatch_argumentTextWithADuplicateKeyOrASecondValue_isRejectedNotHalfRead() {
    // Which of two "query" members, or whether a second object, counts is for no model to guess:
    // the text is refused as it stands, without repeating it.
    ToolRegistry registry = registry();

    for (String text :
        List.of(
            "{\"query\": \"istanbul\", \"limit\": 2, \"query\": \"secret-query\"}",
            "{\"query\": \"istanbul\", \"limit\": 2} {\"query\": \"secret-query\"}")) {
      ToolResult r = registry.dispatch("search_customers", text);

      assertThat(r)
          .as(text)
          .isInstanceOfSatisfying(
              ToolResult.InvalidArguments.class,
              i ->
                  assertThat(i.problems())
                      .singleElement()
                      .satisfies(
                          p -> {
                            assertThat(p.keyword()).isEqualTo("json");
                            assertThat(p.message()).doesNotContain("secret");
                          }));
    }
  }

  @Test
  void inputSchema_textWithADuplicateKeyOrTrailingText_failsFast() {
    assertThatThrownBy(
            () ->
                ToolDefinition.builder("t", JsonNode.class)
                    .description("d")
                    .inputSchema("{\"type\": \"object\", \"type\": \"string\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input schema of tool 't' is not JSON");
    assertThatThrownBy(
            () ->
                ToolDefinition.builder("t", JsonNode.class)
                    .description("d")
                    .inputSchema("{\"type\": \"object\"} {\"type\": \"string\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input schema of tool 't' is not JSON");
  }

  @Test
  void dispatch_invalidValues_neverEchoTheValue() {
    ToolRegistry registry =
        ToolRegistry.create()
            .register(
                ToolDefinition.builder("contact", JsonNode.class)
                    .description("Contacts a customer.")
                    .inputSchema(
                        """
                {"type": "object", "properties": {
                  "phone": {"type": "string", "pattern": "^\\\\+90[0-9]{10}$"},
                  "email": {"type": "string", "format": "email"},
                  "day": {"type": "string", "format": "date"},
                  "channel": {"enum": ["email", "sms"]},
                  "name": {"type": "string", "maxLength": 3}}}""")
                    .build(a -> "done"));

    ToolResult r =
        registry.dispatch(
            "contact",
            json(
                "{\"phone\": \"05321234567-secret\","
                    + " \"email\": \"secret-at-example\", \"day\": \"secret-day\","
                    + " \"channel\": \"secret-channel\", \"name\": \"secret-name\"}"));

    List<ArgumentProblem> problems = ((ToolResult.InvalidArguments) r).problems();
    assertThat(problems)
        .extracting(ArgumentProblem::pointer)
        .containsExactly("/channel", "/day", "/email", "/name", "/phone");
    assertThat(problems).allSatisfy(p -> assertThat(p.message()).doesNotContain("secret"));
    assertThat(r.toJson().toString()).doesNotContain("secret");
  }

  @Test
  void dispatch_exceptionInTool_isIsolatedWithoutItsMessage() {
    List<Exception> seen = new ArrayList<>();
    AtomicInteger ids = new AtomicInteger();
    ToolRegistry registry =
        ToolRegistry.builder()
            .failureListener((tool, incident, e) -> seen.add(e))
            .incidentIds(() -> "inc-" + ids.incrementAndGet())
            .build()
            .register(
                ToolDefinition.builder("explode", JsonNode.class)
                    .description("Always fails.")
                    .inputSchema("{\"type\": \"object\"}")
                    .build(
                        a -> {
                          throw new IllegalStateException(
                              "customer C-1001 Ayşe Yılmaz has no phone");
                        }));

    ToolResult r = registry.dispatch("explode", json("{}"));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failed(
                ToolErrorCode.TOOL_FAILED,
                "tool 'explode' failed with IllegalStateException; the host's logs hold incident inc-1",
                "inc-1"));
    assertThat(r.toJson().toString())
        .doesNotContain("Ayşe")
        .doesNotContain("C-1001")
        .doesNotContain("at dev.");
    assertThat(seen)
        .singleElement()
        .extracting(Throwable::getMessage)
        .isEqualTo("customer C-1001 Ayşe Yılmaz has no phone");
  }

  @Test
  void dispatch_failingListener_stillAnswersFailed() {
    ToolRegistry registry =
        ToolRegistry.builder()
            .failureListener(
                (tool, incident, e) -> {
                  throw new IllegalStateException("listener down");
                })
            .build()
            .register(
                ToolDefinition.builder("explode", JsonNode.class)
                    .description("Always fails.")
                    .inputSchema("{\"type\": \"object\"}")
                    .build(
                        a -> {
                          throw new UnsupportedOperationException();
                        }));

    assertThat(registry.dispatch("explode", json("{}")))
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> assertThat(f.code()).isEqualTo(ToolErrorCode.TOOL_FAILED));
  }

  @Test
  void dispatch_toolReturningAToolResult_isPassedThrough() {
    ToolResult pending = new ToolResult.ApprovalRequired("apr-1", ApprovalStatus.PENDING, "wait");
    ToolRegistry registry =
        ToolRegistry.create()
            .register(
                ToolDefinition.builder("gated", JsonNode.class)
                    .description("Needs approval.")
                    .inputSchema("{\"type\": \"object\"}")
                    .build(a -> pending));

    ToolResult r = registry.dispatch("gated", json("{}"));

    assertThat(r).isSameAs(pending);
    assertThat(r.isError()).isFalse();
    assertThat(r.toJson().get("status").asText()).isEqualTo("approval_required");
  }

  @Test
  void dispatch_unserialisableResult_answersFailed() {
    ToolRegistry registry =
        ToolRegistry.create()
            .register(
                ToolDefinition.builder("opaque", JsonNode.class)
                    .description("Returns an opaque object.")
                    .inputSchema("{\"type\": \"object\"}")
                    .build(a -> new Object()));

    assertThat(registry.dispatch("opaque", json("{}")))
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> assertThat(f.code()).isEqualTo(ToolErrorCode.RESULT_NOT_SERIALIZABLE));
  }

  @Test
  void builder_generatedSchema_followsTheRecord() {
    ObjectNode schema = search().inputSchema();

    assertThat(schema)
        .isEqualTo(
            json(
                """
        {"type": "object", "description": "Finds customers.",
         "properties": {
           "query": {"type": "string", "description": "Free text"},
           "limit": {"type": "integer"},
           "tier": {"type": "string", "enum": ["PLATIN", "ALTIN"]},
           "cities": {"type": "array", "items": {"type": "string"}}},
         "required": ["query", "limit"],
         "additionalProperties": false}"""));
  }

  @Test
  void register_invalidNamesSchemasAndDuplicates_failFast() {
    assertThatThrownBy(() -> ToolDefinition.builder("get bill", JsonNode.class))
        .hasMessage("tool name must match ^[a-zA-Z0-9_-]{1,64}$ but was 'get bill'");
    assertThatThrownBy(() -> ToolDefinition.builder("x".repeat(65), JsonNode.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ToolDefinition.builder("t", JsonNode.class)
                    .description("d")
                    .inputSchema("{\"type\": \"array\"}")
                    .build(a -> a))
        .hasMessageContaining("\"type\": \"object\"");
    assertThatThrownBy(
            () ->
                ToolDefinition.builder("t", JsonNode.class)
                    .description("d")
                    .inputSchema("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": 5}}}")
                    .build(a -> a))
        .hasMessageContaining("is not a valid JSON Schema");
    assertThatThrownBy(
            () -> ToolDefinition.builder("t", JsonNode.class).description("d").build(a -> a))
        .hasMessageContaining("is not a record");
    assertThatThrownBy(() -> registry().register(search()))
        .hasMessage("a tool named 'search_customers' is already registered");
  }

  @Test
  void exports_haveTheShapesOfBedrockOpenAiAndMcp() {
    ToolRegistry registry = registry();
    JsonNode schema = search().inputSchema();

    JsonNode bedrock = registry.toBedrockConverseToolConfig();
    assertThat(bedrock.at("/tools/0/toolSpec/name").asText()).isEqualTo("search_customers");
    assertThat(bedrock.at("/tools/0/toolSpec/description").asText())
        .isEqualTo("Searches customers by text.");
    assertThat(bedrock.at("/tools/0/toolSpec/inputSchema/json")).isEqualTo(schema);

    JsonNode openAi = registry.toOpenAiTools();
    assertThat(openAi.at("/0/type").asText()).isEqualTo("function");
    assertThat(openAi.at("/0/function/name").asText()).isEqualTo("search_customers");
    assertThat(openAi.at("/0/function/parameters")).isEqualTo(schema);

    JsonNode mcp = registry.toMcpToolsList();
    assertThat(mcp.at("/tools/0/name").asText()).isEqualTo("search_customers");
    assertThat(mcp.at("/tools/0/inputSchema")).isEqualTo(schema);
    assertThat(mcp.at("/tools/0/annotations/readOnlyHint").asBoolean()).isTrue();
  }

  @Test
  void exports_areCopies_soCallersCannotAlterTheRegistry() {
    ToolRegistry registry = registry();
    ((ObjectNode) registry.toOpenAiTools().at("/0/function/parameters")).put("type", "array");

    assertThat(registry.toOpenAiTools().at("/0/function/parameters/type").asText())
        .isEqualTo("object");
  }
}
