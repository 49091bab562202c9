package dev.opagent.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;
import software.amazon.awssdk.services.bedrockagentcore.model.InvokeAgentRuntimeRequest;
import software.amazon.awssdk.services.bedrockagentcore.model.InvokeAgentRuntimeResponse;

/** The real AWS SDK client pointed at a simulator, with the SDK's own retries switched off. */
final class Sdk implements AutoCloseable {
  static final String SESSION = "session-0000000000000000000000000001";

  final BedrockAgentCoreAsyncClient client;
  final AgentSimulator simulator;

  private Sdk(AgentSimulator simulator, String accessKey) {
    this.simulator = simulator;
    this.client =
        BedrockAgentCoreAsyncClient.builder()
            .endpointOverride(simulator.endpoint())
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "test")))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .httpClient(HTTP)
            .build();
  }

  /**
   * One HTTP client for every test: closing a Netty client takes two seconds of graceful shutdown,
   * and an SDK client never closes an HTTP client it was handed.
   */
  private static final SdkAsyncHttpClient HTTP =
      NettyNioAsyncHttpClient.builder()
          .maxConcurrency(500)
          .maxPendingConnectionAcquires(100_000)
          .readTimeout(Duration.ofSeconds(20))
          .build();

  static Sdk against(AgentSimulator simulator) {
    return new Sdk(simulator, "test");
  }

  static Sdk against(AgentSimulator simulator, String accessKey) {
    return new Sdk(simulator, accessKey);
  }

  static String payload(String customerDataJson) {
    return "{\"customerData\":" + customerDataJson + "}";
  }

  InvokeAgentRuntimeRequest request(String payload, String sessionId) {
    return InvokeAgentRuntimeRequest.builder()
        .agentRuntimeArn(simulator.agentRuntimeArn())
        .qualifier(simulator.qualifier())
        .runtimeSessionId(sessionId)
        .runtimeUserId("user-1")
        .payload(SdkBytes.fromUtf8String(payload))
        .build();
  }

  CompletableFuture<ResponseBytes<InvokeAgentRuntimeResponse>> invokeAsync(
      InvokeAgentRuntimeRequest request) {
    return client.invokeAgentRuntime(request, AsyncResponseTransformer.toBytes());
  }

  ResponseBytes<InvokeAgentRuntimeResponse> invoke(InvokeAgentRuntimeRequest request) {
    return join(invokeAsync(request));
  }

  ResponseBytes<InvokeAgentRuntimeResponse> invoke(String payload) {
    return invoke(request(payload, SESSION));
  }

  /** The failure of {@code request}, unwrapped from the future. */
  Throwable failure(InvokeAgentRuntimeRequest request) {
    try {
      invoke(request);
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the request succeeded");
  }

  /** Reads an event stream chunk by chunk, recording when each chunk arrived. */
  Streamed stream(InvokeAgentRuntimeRequest request) {
    CompletableFuture<ResponsePublisher<InvokeAgentRuntimeResponse>> f =
        client.invokeAgentRuntime(request, AsyncResponseTransformer.toPublisher());
    ResponsePublisher<InvokeAgentRuntimeResponse> publisher = join(f);
    Streamed streamed = new Streamed(publisher.response());
    publisher.subscribe(streamed);
    join(streamed.done);
    return streamed;
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** An event stream as received. */
  static final class Streamed implements Subscriber<ByteBuffer> {
    final InvokeAgentRuntimeResponse response;
    final List<byte[]> chunks = Collections.synchronizedList(new ArrayList<>());
    final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Streamed(InvokeAgentRuntimeResponse response) {
      this.response = response;
    }

    String body() {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      synchronized (chunks) {
        chunks.forEach(all::writeBytes);
      }
      return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      chunks.add(bytes);
      arrivals.add(System.nanoTime());
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }
}
