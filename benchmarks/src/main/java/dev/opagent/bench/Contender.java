package dev.opagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.testkit.AgentSimulator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreClient;
import software.amazon.awssdk.services.bedrockagentcore.model.InvokeAgentRuntimeRequest;

/**
 * One way of segmenting a list of customers against an AgentCore endpoint: opagent's client, or
 * what a user would write instead with the AWS SDK. Each run builds its own clients and closes
 * them. Implementations are not thread-safe: one run at a time.
 */
interface Contender {
  StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));
  ObjectMapper MAPPER = Json.MAPPER;

  /** How the contender is named in the table. */
  String name();

  /** Segments every customer against {@code sim}; never throws for a customer's failure. */
  Outcomes run(AgentSimulator sim, List<CustomerData> customers) throws InterruptedException;

  /**
   * What a run gave.
   *
   * @param succeeded customers with an analysis
   * @param failed customers without
   * @param seconds wall-clock time from the first submission to the last outcome
   * @param failures failed customers by reason (error type or exception class)
   */
  record Outcomes(long succeeded, long failed, double seconds, Map<String, Long> failures) {}

  /** opagent's {@link SegmentClient} over the AWS SDK, streaming the list through analyzeStream. */
  static Contender opagent(String name, Consumer<SegmentClientBuilder> options) {
    return new Contender() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Outcomes run(AgentSimulator sim, List<CustomerData> customers) {
        SegmentClientBuilder b =
            SegmentClient.builder()
                .agentRuntimeArn(sim.agentRuntimeArn())
                .endpointOverride(sim.endpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(CREDENTIALS);
        options.accept(b);
        try (SegmentClient client = b.build()) {
          Map<String, Long> failures = new TreeMap<>();
          long start = System.nanoTime();
          BatchSummary s =
              client.analyzeStream(customers.iterator(), o -> {}, BatchOptions.ofDefaults());
          double seconds = (System.nanoTime() - start) / 1e9;
          s.failedByCode().forEach((code, n) -> failures.put(code.name(), n));
          return new Outcomes(s.succeeded(), s.failed(), seconds, failures);
        }
      }
    };
  }

  /**
   * The seeds' batch processor: a fixed pool of {@code threads} threads, each calling the
   * synchronous SDK client (Apache HTTP client, SDK default retries) once per customer without a
   * session id, and reading {@code analysis} from the JSON answer.
   */
  static Contender seedPool(int threads) {
    return new Contender() {
      @Override
      public String name() {
        return "seed: sync SDK, pool of " + threads;
      }

      @Override
      public Outcomes run(AgentSimulator sim, List<CustomerData> customers)
          throws InterruptedException {
        Tally tally = new Tally();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BedrockAgentCoreClient client =
            BedrockAgentCoreClient.builder()
                .region(Region.US_WEST_2)
                .endpointOverride(sim.endpoint())
                .credentialsProvider(CREDENTIALS)
                .httpClient(ApacheHttpClient.builder().build())
                .build()) {
          long start = System.nanoTime();
          for (CustomerData c : customers) {
            pool.execute(
                () -> {
                  try {
                    byte[] body = client.invokeAgentRuntimeAsBytes(request(sim, c)).asByteArray();
                    tally.answer(body);
                  } catch (RuntimeException e) {
                    tally.failure(e);
                  }
                });
          }
          pool.shutdown();
          if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
            throw new IllegalStateException("the seed pool did not finish within an hour");
          }
          return tally.outcomes((System.nanoTime() - start) / 1e9);
        } finally {
          pool.shutdownNow();
        }
      }
    };
  }

  /**
   * The asynchronous SDK client with its defaults (Netty, 50 connections, SDK default retries), at
   * most {@code permits} calls outstanding.
   */
  static Contender asyncSemaphore(int permits) {
    return new Contender() {
      @Override
      public String name() {
        return "async SDK, semaphore " + permits;
      }

      @Override
      public Outcomes run(AgentSimulator sim, List<CustomerData> customers)
          throws InterruptedException {
        Tally tally = new Tally();
        Semaphore semaphore = new Semaphore(permits);
        CountDownLatch done = new CountDownLatch(customers.size());
        try (BedrockAgentCoreAsyncClient client =
            BedrockAgentCoreAsyncClient.builder()
                .region(Region.US_WEST_2)
                .endpointOverride(sim.endpoint())
                .credentialsProvider(CREDENTIALS)
                .build()) {
          long start = System.nanoTime();
          for (CustomerData c : customers) {
            semaphore.acquire();
            client
                .invokeAgentRuntime(request(sim, c), AsyncResponseTransformer.toBytes())
                .whenComplete(
                    (bytes, e) -> {
                      try {
                        if (e != null) {
                          tally.failure(e);
                        } else {
                          tally.answer(bytes.asByteArray());
                        }
                      } finally {
                        semaphore.release();
                        done.countDown();
                      }
                    });
          }
          done.await();
          return tally.outcomes((System.nanoTime() - start) / 1e9);
        }
      }
    };
  }

  private static InvokeAgentRuntimeRequest request(AgentSimulator sim, CustomerData c) {
    String payload = "{\"customerData\":" + c.toJson() + "}";
    return InvokeAgentRuntimeRequest.builder()
        .agentRuntimeArn(sim.agentRuntimeArn())
        .payload(SdkBytes.fromString(payload, StandardCharsets.UTF_8))
        .build();
  }

  /** Counts answers and failures from many threads. Thread-safe. */
  final class Tally {
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();

    void answer(byte[] body) {
      try {
        JsonNode analysis = MAPPER.readTree(body).get("analysis");
        if (analysis != null && analysis.isObject()) {
          ok.incrementAndGet();
          return;
        }
      } catch (java.io.IOException e) {
        // an unreadable body: a failed customer, as in the seed's try/except
      }
      failed.incrementAndGet();
      failures.merge("no analysis", 1L, Long::sum);
    }

    void failure(Throwable e) {
      Throwable cause =
          e instanceof java.util.concurrent.CompletionException && e.getCause() != null
              ? e.getCause()
              : e;
      failed.incrementAndGet();
      failures.merge(cause.getClass().getSimpleName(), 1L, Long::sum);
    }

    Outcomes outcomes(double seconds) {
      return new Outcomes(ok.get(), failed.get(), seconds, new TreeMap<>(failures));
    }
  }
}
