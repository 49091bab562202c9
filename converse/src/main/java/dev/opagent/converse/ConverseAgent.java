package dev.opagent.converse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.opagent.agent.tools.ArgumentProblem;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.agent.tools.ToolResult;
import dev.opagent.converse.internal.Documents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * An agent on the Amazon Bedrock Converse API whose tools are a {@link ToolRegistry}'s.
 * Thread-safe: runs share nothing but the client and the registry.
 *
 * <p>A {@link #run(String) run} sends the user's message with the registry's tools ({@code
 * toolConfig}); each {@code toolUse} of the model's answer is dispatched through {@link
 * ToolRegistry#dispatch(String, JsonNode)} — schema validation, the approval gate, the guardrails
 * and the call's deadline all apply, and the facts the guardrails check (consent, time zone,
 * segments) are the host's, never the model's arguments — and its {@link ToolResult} goes back as a
 * {@code toolResult} ({@code status: error} with the typed error for failures; an unknown tool is
 * such an error, naming the tool and the real ones). The run repeats until the model ends its turn
 * or a {@link Budgets budget} is reached, and returns the {@link Transcript}.
 *
 * <p>Model calls are retried with exponential backoff and full jitter (Failsafe) when throttled,
 * when the service fails (5xx), when the model is not ready or times out, and when the connection
 * breaks — at most {@link Builder#maxAttempts} requests per call and never past the run's time
 * budget. A refused request ({@code ValidationException}), denied access, an unknown model or an
 * exhausted quota fail at once. Either way a {@link ConverseException} with a {@link
 * ConverseErrorCode} ends the run; its message says what to check and holds no prompt or customer
 * data. Give the agent a client whose own retries are off ({@code overrideConfiguration(o ->
 * o.retryStrategy(AwsRetryStrategy.doNotRetry()))}), or the SDK's retries multiply the agent's.
 *
 * <pre>{@code
 * ConverseAgent agent = ConverseAgent.builder()
 *     .client(bedrockRuntimeClient)
 *     .modelId("anthropic.claude-3-5-sonnet-20240620-v1:0")
 *     .systemPrompt("You are the retention team's assistant. Plan before you act.")
 *     .tools(registry)
 *     .budgets(Budgets.defaults().withMaxModelCalls(8))
 *     .build();
 * Transcript t = agent.run("Plan the win-back for customer C-1002.");
 * System.out.println(t.answer() + " (" + t.ending() + ", " + t.usage().totalTokens() + " tokens)");
 * }</pre>
 */
public final class ConverseAgent {
  private static final Logger LOG = LoggerFactory.getLogger(ConverseAgent.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Sends one request to the model service. */
  private interface ModelService {
    ConverseResponse converse(ConverseRequest request) throws Exception;
  }

  private final ModelService service;
  private final String modelId;
  private final List<SystemContentBlock> system;
  private final ToolRegistry tools;
  private final Budgets budgets;
  private final @Nullable InferenceConfiguration inference;
  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final boolean payloadLogging;
  private final boolean toolResultStatus;
  private final boolean toolResultsAsText;
  private final LongSupplier nanoTime;

  private ConverseAgent(Builder b) {
    this.service = Objects.requireNonNull(b.service, "a client (sync or async) is required");
    this.modelId = Objects.requireNonNull(b.modelId, "modelId is required");
    this.system =
        b.systemPrompt == null || b.systemPrompt.isBlank()
            ? List.of()
            : List.of(SystemContentBlock.fromText(b.systemPrompt));
    this.tools = Objects.requireNonNull(b.tools, "tools (a ToolRegistry) are required");
    this.budgets = b.budgets;
    this.inference = b.inference;
    this.maxAttempts = b.maxAttempts;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.payloadLogging = b.payloadLogging;
    this.toolResultStatus = b.toolResultStatus;
    this.toolResultsAsText = b.toolResultsAsText;
    this.nanoTime = b.nanoTime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The model this agent calls. */
  public String modelId() {
    return modelId;
  }

  /** The budgets of each run. */
  public Budgets budgets() {
    return budgets;
  }

  /**
   * Starts a conversation with {@code userMessage} and runs it until the model ends its turn or a
   * budget is reached.
   *
   * @throws ConverseException when a model call fails (after its retries); its {@link
   *     ConverseException#transcript()} holds what the run did until then
   */
  public Transcript run(String userMessage) {
    Objects.requireNonNull(userMessage, "userMessage");
    return loop(List.of(userMessage(List.of(), userMessage)));
  }

  /**
   * Continues {@code previous} with {@code userMessage} (after a human decided an approval, say).
   * Tool uses {@code previous} left unanswered are answered as not run, so the conversation stays
   * valid. The new run has budgets of its own.
   *
   * @throws ConverseException when a model call fails (after its retries)
   */
  public Transcript run(Transcript previous, String userMessage) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(userMessage, "userMessage");
    List<Message> messages = new ArrayList<>(previous.messages());
    List<ContentBlock> prefix = new ArrayList<>();
    if (!messages.isEmpty()) {
      Message last = messages.get(messages.size() - 1);
      if (last.role() == ConversationRole.USER) {
        // Roles alternate: the new text joins the user's last message (tool results, say).
        messages.remove(messages.size() - 1);
        prefix.addAll(last.content());
      } else {
        for (ContentBlock b : last.content()) {
          if (b.toolUse() != null) {
            prefix.add(
                toolResultBlock(
                    b.toolUse().toolUseId(),
                    ToolResult.failed(
                        dev.opagent.agent.tools.ToolErrorCode.TIMED_OUT,
                        "not run: the previous run ended before this tool use was run")));
          }
        }
      }
    }
    messages.add(userMessage(prefix, userMessage));
    return loop(messages);
  }

  // ---- the loop ----

  /** One run's state. */
  private final class Run {
    final long start = nanoTime.getAsLong();
    final long deadline = start + budgets.maxDuration().toNanos();
    final List<Message> messages;
    final List<ToolCall> calls = new ArrayList<>();
    final List<Transcript.NotRun> notRun = new ArrayList<>();
    TokenUsage usage = TokenUsage.ZERO;
    int steps;
    int attempts;
    @Nullable String stopReason;

    Run(List<Message> messages) {
      this.messages = new ArrayList<>(messages);
    }

    boolean timeLeft() {
      return nanoTime.getAsLong() - deadline < 0;
    }

    Duration remaining() {
      return Duration.ofNanos(Math.max(0, deadline - nanoTime.getAsLong()));
    }

    Transcript end(Ending ending) {
      return new Transcript(
          messages,
          calls,
          notRun,
          usage,
          steps,
          attempts,
          stopReason,
          ending,
          Duration.ofNanos(nanoTime.getAsLong() - start));
    }

    void skip(int step, List<ToolUseBlock> uses) {
      for (ToolUseBlock u : uses) {
        notRun.add(new Transcript.NotRun(step, u.toolUseId(), u.name(), arguments(u)));
      }
    }
  }

  /** Thrown inside a model call when the run's time is up. */
  private static final class TimeUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimeUp() {
      super("the run's time budget is spent", null, false, false);
    }
  }

  private Transcript loop(List<Message> conversation) {
    Run run = new Run(conversation);
    ToolConfiguration toolConfig = toolConfiguration();
    while (true) {
      if (!run.timeLeft()) {
        return run.end(Ending.TIME_BUDGET);
      }
      int step = ++run.steps;
      ConverseResponse response;
      try {
        response = call(run, request(run, toolConfig));
      } catch (TimeUp e) {
        return run.end(Ending.TIME_BUDGET);
      } catch (ConverseException e) {
        if (!run.timeLeft() && e.code() == ConverseErrorCode.TIMEOUT) {
          return run.end(Ending.TIME_BUDGET);
        }
        throw e.forRun(e.attempts(), run.end(Ending.FAILED));
      }
      if (response.usage() != null) {
        run.usage =
            run.usage.plus(
                new TokenUsage(
                    orZero(response.usage().inputTokens()),
                    orZero(response.usage().outputTokens()),
                    orZero(response.usage().totalTokens())));
      }
      Message answer = response.output() == null ? null : response.output().message();
      if (answer == null) {
        throw new ConverseException(
                ConverseErrorCode.MALFORMED_RESPONSE,
                "the model service answered without an assistant message (model " + modelId + ")",
                run.attempts,
                response.responseMetadata().requestId(),
                200,
                null,
                null)
            .forRun(run.attempts, run.end(Ending.FAILED));
      }
      run.messages.add(answer);
      run.stopReason = response.stopReasonAsString();
      List<ToolUseBlock> uses = new ArrayList<>();
      for (ContentBlock b : answer.content()) {
        if (b.toolUse() != null) {
          uses.add(b.toolUse());
        }
      }
      if (payloadLogging && LOG.isDebugEnabled()) {
        LOG.debug("step {}: {} answered {}: {}", step, modelId, run.stopReason, answer.content());
      } else {
        LOG.debug(
            "step {}: {} answered {} with {} tool uses",
            step,
            modelId,
            run.stopReason,
            uses.size());
      }
      if (!"tool_use".equals(run.stopReason) || uses.isEmpty()) {
        run.skip(step, uses);
        boolean ended = "end_turn".equals(run.stopReason) || "stop_sequence".equals(run.stopReason);
        return run.end(ended ? Ending.END_TURN : Ending.MODEL_STOPPED);
      }
      if (step >= budgets.maxModelCalls()) {
        run.skip(step, uses);
        return run.end(Ending.STEP_BUDGET);
      }
      if (run.usage.totalTokens() >= budgets.maxTotalTokens()) {
        run.skip(step, uses);
        return run.end(Ending.TOKEN_BUDGET);
      }
      List<ContentBlock> results = new ArrayList<>(uses.size());
      for (int i = 0; i < uses.size(); i++) {
        if (!run.timeLeft()) {
          run.skip(step, uses.subList(i, uses.size()));
          // The tool uses already run stay in the transcript; the conversation ends with them.
          if (!results.isEmpty()) {
            run.messages.add(
                Message.builder().role(ConversationRole.USER).content(results).build());
          }
          return run.end(Ending.TIME_BUDGET);
        }
        results.add(dispatch(run, step, uses.get(i)));
      }
      run.messages.add(Message.builder().role(ConversationRole.USER).content(results).build());
    }
  }

  private ContentBlock dispatch(Run run, int step, ToolUseBlock use) {
    long started = nanoTime.getAsLong();
    JsonNode arguments;
    ToolResult result;
    try {
      arguments = use.input() == null ? F.objectNode() : Documents.toJson(use.input());
      result = tools.dispatch(use.name(), arguments);
    } catch (Documents.TooDeepException e) {
      arguments = F.objectNode();
      result =
          new ToolResult.InvalidArguments(
              use.name(),
              List.of(
                  new ArgumentProblem(
                      "",
                      "json",
                      "arguments nest deeper than " + Documents.MAX_DEPTH + " levels")));
    }
    Duration took = Duration.ofNanos(nanoTime.getAsLong() - started);
    run.calls.add(new ToolCall(step, use.toolUseId(), use.name(), arguments, result, took));
    if (payloadLogging && LOG.isDebugEnabled()) {
      LOG.debug("tool {} {} answered {}", use.name(), arguments, result.toJson());
    } else {
      LOG.debug("tool {} answered {}", use.name(), result.toJson().path("status").asText());
    }
    return toolResultBlock(use.toolUseId(), result);
  }

  private ContentBlock toolResultBlock(String toolUseId, ToolResult result) {
    JsonNode json = result.toJson();
    ToolResultContentBlock content =
        toolResultsAsText
            ? ToolResultContentBlock.fromText(json.toString())
            : ToolResultContentBlock.fromJson(Documents.fromJson(json));
    ToolResultBlock.Builder block = ToolResultBlock.builder().toolUseId(toolUseId).content(content);
    if (toolResultStatus) {
      block.status(result.isError() ? ToolResultStatus.ERROR : ToolResultStatus.SUCCESS);
    }
    return ContentBlock.fromToolResult(block.build());
  }

  private static Message userMessage(List<ContentBlock> prefix, String text) {
    List<ContentBlock> content = new ArrayList<>(prefix);
    content.add(ContentBlock.fromText(text));
    return Message.builder().role(ConversationRole.USER).content(content).build();
  }

  private static JsonNode arguments(ToolUseBlock use) {
    try {
      return use.input() == null ? F.objectNode() : Documents.toJson(use.input());
    } catch (Documents.TooDeepException e) {
      return F.objectNode();
    }
  }

  private @Nullable ToolConfiguration toolConfiguration() {
    List<Tool> specs = new ArrayList<>();
    for (JsonNode t : tools.toBedrockConverseToolConfig().path("tools")) {
      JsonNode spec = t.path("toolSpec");
      specs.add(
          Tool.fromToolSpec(
              ToolSpecification.builder()
                  .name(spec.path("name").asText())
                  .description(spec.path("description").asText())
                  .inputSchema(
                      ToolInputSchema.fromJson(
                          Documents.fromJson(spec.path("inputSchema").path("json"))))
                  .build()));
    }
    return specs.isEmpty() ? null : ToolConfiguration.builder().tools(specs).build();
  }

  private ConverseRequest.Builder request(Run run, @Nullable ToolConfiguration toolConfig) {
    ConverseRequest.Builder r =
        ConverseRequest.builder().modelId(modelId).messages(List.copyOf(run.messages));
    if (!system.isEmpty()) {
      r.system(system);
    }
    if (toolConfig != null) {
      r.toolConfig(toolConfig);
    }
    if (inference != null) {
      r.inferenceConfig(inference);
    }
    return r;
  }

  // ---- one model call, retried ----

  private ConverseResponse call(Run run, ConverseRequest.Builder request) {
    AtomicInteger attempts = new AtomicInteger();
    RetryPolicy<ConverseResponse> retry =
        RetryPolicy.<ConverseResponse>builder()
            .handleIf((r, e) -> e instanceof ConverseException c && c.retryable())
            .withMaxAttempts(maxAttempts)
            .withDelayFn(ctx -> backoff(ctx.getAttemptCount(), run.remaining()))
            .onRetryScheduled(
                e -> {
                  if (LOG.isDebugEnabled()) {
                    Throwable last = e.getLastException();
                    LOG.debug(
                        "model call retry {} after {} in {}",
                        e.getAttemptCount() + 1,
                        last instanceof ConverseException c ? c.code() : "failure",
                        e.getDelay());
                  }
                })
            .build();
    try {
      return Failsafe.with(retry)
          .get(
              () -> {
                Duration left = run.remaining();
                if (left.isZero()) {
                  throw new TimeUp();
                }
                attempts.incrementAndGet();
                run.attempts++;
                ConverseRequest attempt =
                    request.overrideConfiguration(o -> o.apiCallTimeout(left)).build();
                try {
                  return service.converse(attempt);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new ConverseException(
                      ConverseErrorCode.CANCELLED,
                      "the model call was interrupted",
                      attempts.get(),
                      null,
                      null,
                      null,
                      e);
                } catch (Exception e) {
                  throw map(e, attempts.get());
                }
              });
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw map(cause, attempts.get());
    }
  }

  /** Full jitter: a random delay up to the exponential ceiling, never past the run's deadline. */
  private Duration backoff(int attemptsSoFar, Duration remaining) {
    long base = baseDelay.toNanos();
    long cap = maxDelay.toNanos();
    int shift = Math.min(30, Math.max(0, attemptsSoFar - 1));
    long ceiling = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
    long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
    return Duration.ofNanos(Math.min(delay, remaining.toNanos()));
  }

  private ConverseException map(Throwable error, int attempts) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ConverseException c) {
      return c;
    }
    if (t instanceof AwsServiceException e) {
      String type =
          e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
              ? e.awsErrorDetails().errorCode()
              : "";
      String serviceMessage =
          e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
      return ModelErrors.serviceError(
          e.statusCode(),
          type,
          serviceMessage,
          e.requestId(),
          attempts,
          payloadLogging,
          modelId,
          e);
    }
    if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
      return new ConverseException(
          ConverseErrorCode.TIMEOUT,
          "the call of model " + modelId + " timed out (" + t.getClass().getSimpleName() + ")",
          attempts,
          null,
          null,
          null,
          t);
    }
    return new ConverseException(
        ConverseErrorCode.CONNECTION_FAILED,
        "the model service could not be reached for model "
            + modelId
            + " ("
            + t.getClass().getSimpleName()
            + "); check the endpoint, the region and the network",
        attempts,
        null,
        null,
        null,
        t);
  }

  private static long orZero(@Nullable Integer n) {
    return n == null ? 0 : n;
  }

  /** Builds a {@link ConverseAgent}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ModelService service;
    private @Nullable String modelId;
    private @Nullable String systemPrompt;
    private @Nullable ToolRegistry tools;
    private Budgets budgets = Budgets.defaults();
    private @Nullable InferenceConfiguration inference;
    private int maxAttempts = 4;
    private Duration baseDelay = Duration.ofMillis(500);
    private Duration maxDelay = Duration.ofSeconds(10);
    private boolean payloadLogging;
    private boolean toolResultStatus = true;
    private boolean toolResultsAsText;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    /** The synchronous client to call (the host's: region, credentials, HTTP client). */
    public Builder client(BedrockRuntimeClient client) {
      Objects.requireNonNull(client, "client");
      this.service = client::converse;
      return this;
    }

    /**
     * The asynchronous client to call; a run still waits for each answer on the caller's thread.
     */
    public Builder client(BedrockRuntimeAsyncClient client) {
      Objects.requireNonNull(client, "client");
      this.service = r -> client.converse(r).get();
      return this;
    }

    /** The model or inference profile id (or ARN). Required. */
    public Builder modelId(String modelId) {
      Objects.requireNonNull(modelId, "modelId");
      if (modelId.isBlank()) {
        throw new IllegalArgumentException("modelId must not be blank");
      }
      this.modelId = modelId;
      return this;
    }

    /** The system prompt, or null for none. */
    public Builder systemPrompt(@Nullable String systemPrompt) {
      this.systemPrompt = systemPrompt;
      return this;
    }

    /** The tools the model may call, and the only way it acts. Required. */
    public Builder tools(ToolRegistry tools) {
      this.tools = Objects.requireNonNull(tools, "tools");
      return this;
    }

    /** The budgets of each run. Default {@link Budgets#defaults()}. */
    public Builder budgets(Budgets budgets) {
      this.budgets = Objects.requireNonNull(budgets, "budgets");
      return this;
    }

    /** The inference configuration (max tokens per answer, temperature, …), or null for none. */
    public Builder inferenceConfig(@Nullable InferenceConfiguration inference) {
      this.inference = inference;
      return this;
    }

    /**
     * Most requests per model call, the first included. Default 4; 1 retries nothing. Give the
     * client no retries of its own.
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be positive but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The backoff between attempts: a random delay up to {@code baseDelay × 2^(retry − 1)}, capped
     * at {@code maxDelay}. Default 500 ms and 10 s.
     */
    public Builder backoff(Duration baseDelay, Duration maxDelay) {
      Objects.requireNonNull(baseDelay, "baseDelay");
      Objects.requireNonNull(maxDelay, "maxDelay");
      if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
        throw new IllegalArgumentException(
            "backoff needs 0 <= baseDelay <= maxDelay but was " + baseDelay + ", " + maxDelay);
      }
      this.baseDelay = baseDelay;
      this.maxDelay = maxDelay;
      return this;
    }

    /**
     * Whether the DEBUG log shows the conversation (texts, tool arguments and results) and error
     * messages carry the service's explanation of a refused request, which may quote it. Default
     * false: logs and messages then name steps, tools and statuses only.
     */
    public Builder payloadLogging(boolean payloadLogging) {
      this.payloadLogging = payloadLogging;
      return this;
    }

    /**
     * Whether tool results carry {@code status} ({@code success} or {@code error}). Default true;
     * switch it off for models that refuse the field (Bedrock supports it for Anthropic Claude
     * models; the typed error is in the result's JSON either way).
     */
    public Builder toolResultStatus(boolean toolResultStatus) {
      this.toolResultStatus = toolResultStatus;
      return this;
    }

    /**
     * Whether tool results go to the model as JSON text instead of JSON documents, for models that
     * accept text results only. Default false.
     */
    public Builder toolResultsAsText(boolean toolResultsAsText) {
      this.toolResultsAsText = toolResultsAsText;
      return this;
    }

    /** The time source of the budgets, for tests. Default {@link System#nanoTime()}. */
    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * Builds the agent.
     *
     * @throws NullPointerException when the client, the model id or the tools are missing
     */
    public ConverseAgent build() {
      return new ConverseAgent(this);
    }
  }
}
