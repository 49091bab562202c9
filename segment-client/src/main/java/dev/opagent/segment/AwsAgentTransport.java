package dev.opagent.segment;

import dev.opagent.segment.internal.SseParser;
import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import dev.opagent.segment.spi.TraceContext;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockagentcore.model.InvokeAgentRuntimeResponse;

/**
 * The default transport: {@code InvokeAgentRuntime} on the AWS SDK's async client over Netty, with
 * the SDK's own retries off, reading the body incrementally (server-sent events are reassembled as
 * chunks arrive). Thread-safe.
 */
final class AwsAgentTransport implements AgentTransport {
  /** AgentCore's synchronous invocation limit: the HTTP read timeout never goes below it. */
  static final Duration SYNC_LIMIT = Duration.ofMinutes(15);

  /** The largest answer read; anything bigger is a malformed response. */
  static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  /** The longest {@link #close()} waits for the event loop's threads to end. */
  static final Duration EVENT_LOOP_SHUTDOWN = Duration.ofSeconds(1);

  /** The prefix of the event loop's thread names when the transport owns its HTTP client. */
  static final String THREAD_PREFIX = "opagent-netty-";

  /**
   * Event loop threads: two serve hundreds of connections, and fewer threads than Netty's default
   * (twice the processors) mean fewer wake-ups per response.
   */
  static final int EVENT_LOOP_THREADS =
      Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

  private static final Logger LOG = LoggerFactory.getLogger(SegmentClient.class);
  private static final AtomicInteger GROUPS = new AtomicInteger();
  private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

  private final BedrockAgentCoreAsyncClient client;
  private final boolean owned;
  private final @Nullable SdkEventLoopGroup eventLoop;
  private final boolean payloadLogging;

  private AwsAgentTransport(
      BedrockAgentCoreAsyncClient client,
      boolean owned,
      @Nullable SdkEventLoopGroup eventLoop,
      boolean payloadLogging) {
    this.client = client;
    this.owned = owned;
    this.eventLoop = eventLoop;
    this.payloadLogging = payloadLogging;
  }

  /** Wraps a caller-owned client; {@link #close()} leaves it open. */
  public static AwsAgentTransport wrap(BedrockAgentCoreAsyncClient client, boolean payloadLogging) {
    return new AwsAgentTransport(client, false, null, payloadLogging);
  }

  /** Builds and owns a client tuned for long agent calls at {@code maxConcurrency}. */
  public static AwsAgentTransport create(
      @Nullable Region region,
      @Nullable AwsCredentialsProvider credentials,
      @Nullable URI endpoint,
      int maxConcurrency,
      Duration attemptTimeout,
      boolean payloadLogging) {
    Duration read =
        attemptTimeout.plusMinutes(1).compareTo(SYNC_LIMIT) > 0
            ? attemptTimeout.plusMinutes(1)
            : SYNC_LIMIT;
    // An event loop of our own, so that close() can end it without Netty's 2 s quiet period: once
    // the client is closed no task can arrive that a quiet period would wait for.
    SdkEventLoopGroup eventLoop = eventLoopGroup();
    BedrockAgentCoreAsyncClientBuilder builder =
        BedrockAgentCoreAsyncClient.builder()
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(eventLoop)
                    .maxConcurrency(maxConcurrency)
                    .maxPendingConnectionAcquires(Math.max(10_000, maxConcurrency * 4))
                    // The client never has more requests in flight than connections, so an
                    // acquire waits only for a connect; and the SDK's pool now and then leaves
                    // an acquire after a refused connect pending until this timeout.
                    .connectionAcquisitionTimeout(ACQUIRE_TIMEOUT)
                    .readTimeout(read)
                    .writeTimeout(Duration.ofMinutes(1)))
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (region != null) {
      builder.region(region);
    }
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    try {
      return new AwsAgentTransport(builder.build(), true, eventLoop, payloadLogging);
    } catch (RuntimeException e) {
      shutdown(eventLoop);
      throw e;
    }
  }

  private static SdkEventLoopGroup eventLoopGroup() {
    String prefix = THREAD_PREFIX + GROUPS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, prefix + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return SdkEventLoopGroup.builder()
        .numberOfThreads(EVENT_LOOP_THREADS)
        .threadFactory(factory)
        .build();
  }

  private static void shutdown(SdkEventLoopGroup group) {
    Future<?> done = group.eventLoopGroup().shutdownGracefully(0, 1, TimeUnit.SECONDS);
    if (!done.awaitUninterruptibly(EVENT_LOOP_SHUTDOWN.toMillis())) {
      LOG.debug("the HTTP event loop did not end within {}", EVENT_LOOP_SHUTDOWN);
    }
  }

  @Override
  public CompletableFuture<AgentResponse> invoke(AgentRequest request) {
    CompletableFuture<ResponsePublisher<InvokeAgentRuntimeResponse>> call;
    try {
      call =
          client.invokeAgentRuntime(
              b -> {
                b.agentRuntimeArn(request.agentRuntimeArn())
                    .qualifier(request.qualifier())
                    .runtimeSessionId(request.sessionId())
                    .contentType("application/json")
                    .accept("application/json, text/event-stream")
                    .payload(SdkBytes.fromByteArrayUnsafe(request.payload()));
                if (request.userId() != null) {
                  b.runtimeUserId(request.userId());
                }
                TraceContext trace = request.trace();
                if (trace != null) {
                  b.traceParent(trace.traceParent())
                      .traceState(trace.traceState())
                      .baggage(trace.baggage());
                }
              },
              AsyncResponseTransformer.toPublisher());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(AwsErrors.map(e, payloadLogging));
    }
    CompletableFuture<AgentResponse> result = new CompletableFuture<>();
    AtomicReference<@Nullable BodyCollector> collector = new AtomicReference<>();
    call.whenComplete(
        (publisher, error) -> {
          if (error != null) {
            result.completeExceptionally(AwsErrors.map(error, payloadLogging));
            return;
          }
          InvokeAgentRuntimeResponse response = publisher.response();
          String contentType =
              response.contentType() == null ? "application/json" : response.contentType();
          String requestId = response.responseMetadata().requestId();
          BodyCollector body = new BodyCollector(contentType, requestId, result, payloadLogging);
          collector.set(body);
          if (result.isDone()) {
            publisher.subscribe(new CancellingSubscriber());
            return;
          }
          publisher.subscribe(body);
        });
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            call.cancel(true);
            BodyCollector body = collector.get();
            if (body != null) {
              body.cancel();
            }
          }
        });
    return result;
  }

  @Override
  public CompletableFuture<Void> stopSession(
      String agentRuntimeArn, String qualifier, String sessionId) {
    try {
      return client
          .stopRuntimeSession(
              b ->
                  b.agentRuntimeArn(agentRuntimeArn)
                      .qualifier(qualifier)
                      .runtimeSessionId(sessionId))
          .handle(
              (r, e) -> {
                if (e != null) {
                  throw new CompletionException(AwsErrors.map(e, payloadLogging));
                }
                return null;
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(AwsErrors.map(e, payloadLogging));
    }
  }

  @Override
  public void close() {
    if (owned) {
      try {
        client.close();
      } finally {
        if (eventLoop != null) {
          shutdown(eventLoop);
        }
      }
    }
  }

  /** Reads the body as it streams in; completes {@code result} at the end. */
  private static final class BodyCollector implements Subscriber<ByteBuffer> {
    private final String contentType;
    private final @Nullable String requestId;
    private final CompletableFuture<AgentResponse> result;
    private final boolean payloadLogging;
    private final boolean eventStream;
    private final SseParser sse = new SseParser();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
    private volatile @Nullable Subscription subscription;

    BodyCollector(
        String contentType,
        @Nullable String requestId,
        CompletableFuture<AgentResponse> result,
        boolean payloadLogging) {
      this.contentType = contentType;
      this.requestId = requestId;
      this.result = result;
      this.payloadLogging = payloadLogging;
      this.eventStream = contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer chunk) {
      if (result.isDone()) {
        return;
      }
      if (body.size() + chunk.remaining() > MAX_RESPONSE_BYTES) {
        cancel();
        result.completeExceptionally(
            new SegmentException(
                ErrorCode.MALFORMED_RESPONSE,
                "the agent's answer exceeded " + MAX_RESPONSE_BYTES + " bytes",
                0,
                requestId,
                200,
                null));
        return;
      }
      ByteBuffer copy = chunk.asReadOnlyBuffer();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      body.write(bytes, 0, bytes.length);
      if (eventStream) {
        sse.feed(bytes);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(AwsErrors.map(t, payloadLogging));
    }

    @Override
    public void onComplete() {
      List<String> events = eventStream ? sse.finish() : List.of();
      result.complete(
          new AgentResponse(contentType, body.toString(StandardCharsets.UTF_8), events, requestId));
    }

    void cancel() {
      Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  /** Drains and discards a body nobody waits for any more. */
  private static final class CancellingSubscriber implements Subscriber<ByteBuffer> {
    @Override
    public void onSubscribe(Subscription s) {
      s.cancel();
    }

    @Override
    public void onNext(ByteBuffer byteBuffer) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }

  /** Maps AWS SDK failures onto the SDK's error codes. */
  static final class AwsErrors {
    private AwsErrors() {}

    static SegmentException map(Throwable error, boolean payloadLogging) {
      Throwable t = unwrap(error);
      if (t instanceof SegmentException se) {
        return se;
      }
      if (t instanceof AwsServiceException ase) {
        return fromService(ase, payloadLogging);
      }
      if (isTimeout(t)) {
        return new SegmentException(
            ErrorCode.TIMEOUT,
            "the request to the agent timed out (" + t.getClass().getSimpleName() + ")",
            0,
            null,
            null,
            t);
      }
      return new SegmentException(
          ErrorCode.AGENT_UNAVAILABLE,
          "the agent could not be reached: " + describe(t),
          0,
          null,
          null,
          t);
    }

    private static SegmentException fromService(AwsServiceException e, boolean payloadLogging) {
      String type =
          e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
              ? e.awsErrorDetails().errorCode()
              : "";
      String serviceMessage =
          e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
      return serviceError(
          e.statusCode(), type, serviceMessage, e.requestId(), payloadLogging, IAM_HINT);
    }

    /** What to check when the service refuses SigV4 credentials. */
    static final String IAM_HINT =
        " (allow bedrock-agentcore:InvokeAgentRuntime on the agent runtime ARN"
            + " for these credentials)";

    /**
     * The failure an error answer of the service stands for: its code from {@code type} and {@code
     * status}, and a message with the service's explanation for configuration errors only (agent
     * errors may echo customer data) unless payload logging is on, and a hint of what to check.
     *
     * @param accessDeniedHint what to check when access was denied
     */
    static SegmentException serviceError(
        int status,
        String type,
        @Nullable String serviceMessage,
        @Nullable String requestId,
        boolean payloadLogging,
        String accessDeniedHint) {
      ErrorCode code = codeFor(type, status);
      StringBuilder message = new StringBuilder("the agent service answered ").append(status);
      if (!type.isEmpty()) {
        message.append(' ').append(type);
      }
      boolean explain =
          payloadLogging
              || code == ErrorCode.ACCESS_DENIED
              || code == ErrorCode.NOT_FOUND
              || code == ErrorCode.INVALID_INPUT
              || code == ErrorCode.QUOTA_EXCEEDED;
      if (explain && serviceMessage != null && !serviceMessage.isBlank()) {
        message
            .append(": ")
            .append(
                serviceMessage.length() > 200
                    ? serviceMessage.substring(0, 200) + "…"
                    : serviceMessage);
      }
      message.append(code == ErrorCode.ACCESS_DENIED ? accessDeniedHint : hint(code));
      return new SegmentException(code, message.toString(), 0, requestId, status, null);
    }

    static ErrorCode codeFor(String type, int status) {
      switch (type) {
        case "ThrottlingException":
        case "ThrottledException":
          return ErrorCode.THROTTLED;
        case "ServiceQuotaExceededException":
          return ErrorCode.QUOTA_EXCEEDED;
        case "ValidationException":
        case "InvalidInputException":
          return ErrorCode.INVALID_INPUT;
        case "AccessDeniedException":
        case "UnauthorizedException":
          return ErrorCode.ACCESS_DENIED;
        case "ResourceNotFoundException":
          return ErrorCode.NOT_FOUND;
        case "RuntimeClientError":
          return ErrorCode.AGENT_ERROR;
        case "InternalServerException":
        case "ServiceException":
          return ErrorCode.AGENT_UNAVAILABLE;
        default:
          break;
      }
      if (status == 429) {
        return ErrorCode.THROTTLED;
      }
      if (status == 402) {
        return ErrorCode.QUOTA_EXCEEDED;
      }
      if (status == 400) {
        return ErrorCode.INVALID_INPUT;
      }
      if (status == 401 || status == 403) {
        return ErrorCode.ACCESS_DENIED;
      }
      if (status == 404) {
        return ErrorCode.NOT_FOUND;
      }
      if (status == 408 || status == 504) {
        return ErrorCode.TIMEOUT;
      }
      if (status >= 500) {
        return ErrorCode.AGENT_UNAVAILABLE;
      }
      return ErrorCode.AGENT_ERROR;
    }

    private static String hint(ErrorCode code) {
      return switch (code) {
        case ACCESS_DENIED -> IAM_HINT;
        case NOT_FOUND -> " (check the agent runtime ARN, its region and the qualifier)";
        case QUOTA_EXCEEDED ->
            " (an account quota such as active sessions is exhausted; reuse"
                + " sessions, lower maxConcurrency or ask for a quota increase)";
        default -> "";
      };
    }

    private static Throwable unwrap(Throwable t) {
      Throwable cur = t;
      while ((cur instanceof CompletionException || cur instanceof ExecutionException)
          && cur.getCause() != null) {
        cur = cur.getCause();
      }
      return cur;
    }

    private static boolean isTimeout(Throwable t) {
      for (Throwable cur = t; cur != null; cur = cur.getCause()) {
        String name = cur.getClass().getSimpleName();
        if (cur instanceof java.util.concurrent.TimeoutException
            || cur instanceof java.net.SocketTimeoutException
            || name.contains("Timeout")) {
          return true;
        }
        if (cur.getCause() == cur) {
          break;
        }
      }
      return false;
    }

    private static String describe(Throwable t) {
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String msg = root.getMessage();
      return root.getClass().getSimpleName() + (msg == null ? "" : " (" + msg + ")");
    }
  }
}
