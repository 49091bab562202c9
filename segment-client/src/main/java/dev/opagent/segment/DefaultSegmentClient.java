package dev.opagent.segment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.ExecutionContext;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Policy;
import dev.failsafe.RetryPolicy;
import dev.opagent.segment.internal.AdaptiveRateLimiter;
import dev.opagent.segment.internal.AsyncSemaphore;
import dev.opagent.segment.internal.CallerFirstScheduler;
import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import dev.opagent.segment.spi.TraceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link SegmentClient} implementation. Thread-safe. */
final class DefaultSegmentClient implements SegmentClient {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentClient.class);

  /** AgentCore's largest payload. */
  public static final int MAX_PAYLOAD_BYTES = 100_000_000;

  private static final Duration STOP_SESSIONS_TIMEOUT = Duration.ofSeconds(5);

  private final SegmentClientConfig config;
  private final AgentTransport transport;
  private final @Nullable CallTracer tracer;
  private final boolean ownsTransport;
  private final ScheduledExecutorService scheduler;
  private final AdaptiveRateLimiter rateLimiter;
  private final AsyncSemaphore permits;
  private final SessionPool sessions;
  private final @Nullable CircuitBreaker<CallResult> breaker;
  private final @Nullable Cache<RequestPayload.Key, SegmentAnalysis> cache;

  /**
   * Runs each call's first attempt on the caller's thread and retries on {@link #scheduler}. Retry
   * decisions that depend on the call read its state from the failure ({@link AttemptFailure}), so
   * one policy serves every call.
   */
  private final CallerFirstScheduler attemptScheduler;

  private final FailsafeExecutor<CallResult> executor;
  private final Map<RequestPayload.Key, InFlight> inFlight = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<?>> executions = ConcurrentHashMap.newKeySet();
  private final Counters counters = new Counters();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Creates a client; closes {@code transport} on {@link #close()} only when {@code owns}. */
  public DefaultSegmentClient(SegmentClientConfig config, AgentTransport transport, boolean owns) {
    this(config, transport, owns, null);
  }

  /**
   * A client that sends its requests through {@code transport}, tracing each call and attempt with
   * {@code tracer} when it is not null.
   */
  public DefaultSegmentClient(
      SegmentClientConfig config,
      AgentTransport transport,
      boolean owns,
      @Nullable CallTracer tracer) {
    this.tracer = tracer;
    this.config = config;
    this.transport = transport;
    this.ownsTransport = owns;
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "opagent-segment-scheduler");
              t.setDaemon(true);
              return t;
            });
    // Deadlines of answered requests are cancelled: drop them at once instead of holding them
    // until they would have fired (attemptTimeout, minutes), which piles up at high throughput.
    timer.setRemoveOnCancelPolicy(true);
    this.scheduler = timer;
    this.rateLimiter =
        new AdaptiveRateLimiter(
            config.initialRequestsPerSecond(),
            config.maxRequestsPerSecond(),
            scheduler,
            System::nanoTime);
    this.permits = new AsyncSemaphore(config.maxConcurrency());
    this.sessions = new SessionPool(config.sessionMode());
    this.breaker =
        config.circuitBreakerEnabled()
            ? CircuitBreaker.<CallResult>builder()
                .handleIf((r, e) -> e != null && isOutage(e))
                .withFailureThreshold(
                    config.circuitBreakerFailures(), config.circuitBreakerWindow())
                .withDelay(config.circuitBreakerDelay())
                .onOpen(
                    e -> {
                      LOG.warn(
                          "segment agent circuit opened: the agent failed {} of the last {} requests;"
                              + " calls fail fast for {}",
                          config.circuitBreakerFailures(),
                          config.circuitBreakerWindow(),
                          config.circuitBreakerDelay());
                      listeners(l -> l.onCircuitStateChange(true));
                    })
                .onClose(
                    e -> {
                      LOG.info("segment agent circuit closed: the agent answers again");
                      listeners(l -> l.onCircuitStateChange(false));
                    })
                .build()
            : null;
    RetryPolicy<CallResult> retry =
        RetryPolicy.<CallResult>builder()
            .handleIf((r, e) -> e != null && shouldRetry(e))
            .withMaxAttempts(config.maxAttempts())
            .withDelayFn(ctx -> backoff(ctx.getAttemptCount()))
            .onRetryScheduled(
                e -> {
                  Throwable last = unwrap(e.getLastException());
                  ErrorCode code = codeOf(last);
                  int next = e.getAttemptCount() + 1;
                  counters.retries.increment();
                  if (LOG.isDebugEnabled()) {
                    LOG.debug(
                        "segment call retry {} after {} in {}: {}",
                        next,
                        code,
                        e.getDelay(),
                        last == null ? "" : last.getMessage());
                  }
                  listeners(l -> l.onRetry(code, next, e.getDelay()));
                })
            .build();
    List<Policy<CallResult>> policies = new ArrayList<>();
    policies.add(retry);
    if (breaker != null) {
      policies.add(breaker);
    }
    this.attemptScheduler = new CallerFirstScheduler(scheduler);
    this.executor = Failsafe.with(policies).with(attemptScheduler);
    this.cache =
        config.cacheEnabled()
            ? Caffeine.newBuilder()
                // Maintenance after a put is a few map operations: run it on the caller's thread
                // rather than hand every put to the common pool.
                .executor(Runnable::run)
                .expireAfterWrite(config.cacheTtl())
                .maximumSize(config.cacheMaxSize())
                .build()
            : null;
  }

  // ---------------------------------------------------------------- single calls

  @Override
  public SegmentAnalysis analyze(CustomerData data) {
    return analyzeDetailed(data, false).analysis();
  }

  @Override
  public SegmentOutcome.Success analyzeDetailed(CustomerData data, boolean bypassCache) {
    return analyzeDetailed(data, bypassCache, config.runtimeUserId());
  }

  /** One customer on behalf of {@code user} (the runtime user id sent, if any). */
  SegmentOutcome.Success analyzeDetailed(
      CustomerData data, boolean bypassCache, @Nullable String user) {
    // A cache hit is answered here, without a future: the usual case once the cache is warm.
    RequestPayload request;
    try {
      request = prepare(data, user);
    } catch (SegmentException e) {
      counters.calls.increment();
      counters.failed.increment();
      throw e;
    }
    if (!bypassCache) {
      SegmentAnalysis hit = cached(request);
      if (hit != null) {
        counters.calls.increment();
        counters.succeeded.increment();
        return new SegmentOutcome.Success(0, data.customerId(), hit, Source.CACHE, 0);
      }
    }
    counters.calls.increment();
    CompletableFuture<SegmentOutcome.Success> f =
        mapCancellable(
            counted(send(data, request, bypassCache, user)),
            r ->
                new SegmentOutcome.Success(
                    0, data.customerId(), r.analysis(), r.source(), r.attempts()));
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new SegmentException(ErrorCode.CANCELLED, "interrupted while waiting for the agent");
    } catch (ExecutionException e) {
      throw toSegmentException(e.getCause(), 0);
    }
  }

  @Override
  public CompletableFuture<SegmentAnalysis> analyzeAsync(CustomerData data) {
    return mapCancellable(analyzeDetailedAsync(data, false), SegmentOutcome.Success::analysis);
  }

  @Override
  public CompletableFuture<SegmentOutcome.Success> analyzeDetailedAsync(
      CustomerData data, boolean bypassCache) {
    return analyzeDetailedAsync(data, bypassCache, config.runtimeUserId());
  }

  CompletableFuture<SegmentOutcome.Success> analyzeDetailedAsync(
      CustomerData data, boolean bypassCache, @Nullable String user) {
    return mapCancellable(
        call(data, bypassCache, user),
        r ->
            new SegmentOutcome.Success(
                0, data.customerId(), r.analysis(), r.source(), r.attempts()));
  }

  /** {@code source.thenApply(fn)}, except that cancelling the result cancels {@code source}. */
  static <T, R> CompletableFuture<R> mapCancellable(
      CompletableFuture<T> source, java.util.function.Function<? super T, ? extends R> fn) {
    CompletableFuture<R> mapped = source.thenApply(fn);
    mapped.whenComplete(
        (r, e) -> {
          if (mapped.isCancelled()) {
            source.cancel(true);
          }
        });
    return mapped;
  }

  /** One customer through validation, cache, in-flight sharing and the agent. */
  private CompletableFuture<CallResult> call(
      CustomerData data, boolean bypassCache, @Nullable String user) {
    counters.calls.increment();
    return counted(start(data, bypassCache, user));
  }

  /** Counts {@code result} as succeeded or failed once it completes. */
  private CompletableFuture<CallResult> counted(CompletableFuture<CallResult> result) {
    if (result.isDone()) {
      // Already complete (a cache hit, a refused input): no callback needed.
      (result.isCompletedExceptionally() ? counters.failed : counters.succeeded).increment();
      return result;
    }
    result.whenComplete(
        (r, e) -> {
          if (e == null) {
            counters.succeeded.increment();
          } else {
            counters.failed.increment();
          }
        });
    return result;
  }

  private CompletableFuture<CallResult> start(
      CustomerData data, boolean bypassCache, @Nullable String user) {
    RequestPayload request;
    try {
      request = prepare(data, user);
    } catch (SegmentException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (!bypassCache) {
      SegmentAnalysis hit = cached(request);
      if (hit != null) {
        return CompletableFuture.completedFuture(new CallResult(hit, Source.CACHE, 0));
      }
    }
    return send(data, request, bypassCache, user);
  }

  /**
   * Checks that the client is open and {@code data} valid, and writes its request; the cache key
   * joins {@code user}, so that one user's answer is never served to another.
   *
   * @throws SegmentException when the client is closed ({@code CANCELLED}) or {@code data} cannot
   *     be sent ({@link InvalidInputException})
   */
  private RequestPayload prepare(CustomerData data, @Nullable String user) {
    if (closed.get()) {
      throw new SegmentException(ErrorCode.CANCELLED, "the segment client is closed");
    }
    RequestPayload request;
    try {
      CustomerDataValidator.validate(data);
      request = RequestPayload.of(data, user);
    } catch (InvalidInputException e) {
      throw e.forCustomer(data.customerId());
    } catch (IOException e) {
      throw unwritable(data);
    }
    if (request.length() > MAX_PAYLOAD_BYTES) {
      request.release();
      throw new InvalidInputException(
              "customerData",
              "is "
                  + request.length()
                  + " bytes as JSON; AgentCore accepts at most "
                  + MAX_PAYLOAD_BYTES)
          .forCustomer(data.customerId());
    }
    return request;
  }

  private static InvalidInputException unwritable(CustomerData data) {
    return new InvalidInputException("customerData", "could not be written as JSON")
        .forCustomer(data.customerId());
  }

  /** The cached answer to {@code request}, counted as a hit; {@code null} without one. */
  private @Nullable SegmentAnalysis cached(RequestPayload request) {
    if (cache == null) {
      return null;
    }
    SegmentAnalysis hit = cache.getIfPresent(request.key());
    if (hit == null) {
      return null;
    }
    if (config.payloadLogging() && LOG.isDebugEnabled()) {
      LOG.debug("segment agent payload: {}", text(request));
    }
    request.release();
    counters.cacheHits.increment();
    listeners(SegmentClientListener::onCacheHit);
    return hit;
  }

  private static String text(RequestPayload request) {
    try {
      return new String(request.body(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(could not be written)";
    }
  }

  /** Sends a request the cache did not answer, sharing it with identical calls in flight. */
  private CompletableFuture<CallResult> send(
      CustomerData data, RequestPayload request, boolean bypassCache, @Nullable String user) {
    byte[] payload;
    try {
      payload = request.body();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(unwritable(data));
    }
    if (config.payloadLogging() && LOG.isDebugEnabled()) {
      LOG.debug(
          "segment agent payload: {}",
          new String(payload, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (bypassCache) {
      return execute(data, payload, user);
    }
    RequestPayload.Key key = request.key();
    InFlight mine = new InFlight();
    InFlight existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      counters.deduplicated.increment();
      listeners(SegmentClientListener::onDeduplicated);
      return existing.join(true);
    }
    if (cache != null) {
      counters.cacheMisses.increment();
      listeners(SegmentClientListener::onCacheMiss);
    }
    CompletableFuture<CallResult> exec = execute(data, payload, user);
    mine.execution = exec;
    exec.whenComplete(
        (r, e) -> {
          if (e == null && cache != null && r.source() == Source.AGENT) {
            cache.put(key, r.analysis());
          }
          inFlight.remove(key, mine);
          if (e == null) {
            mine.promise.complete(r);
          } else {
            mine.promise.completeExceptionally(e);
          }
        });
    return mine.join(false);
  }

  /** Retry, circuit breaker and fallback around single attempts. */
  private CompletableFuture<CallResult> execute(
      CustomerData data, byte[] payload, @Nullable String user) {
    CallTracer.Call traced = tracer == null ? null : beginTrace(tracer);
    CallState state = new CallState(traced, user);
    CompletableFuture<CallResult> attempts =
        attemptScheduler.firstOnCaller(
            () -> executor.getStageAsync(ctx -> attempt(state, data, payload, ctx)));
    executions.add(attempts);
    CompletableFuture<CallResult> result = new CompletableFuture<>();
    attempts.whenComplete(
        (r, e) -> {
          if (attempts.isCancelled()) {
            state.cancel();
          }
          executions.remove(attempts);
          if (e == null) {
            endTrace(traced, r.source(), null, state);
            result.complete(r);
            return;
          }
          SegmentException failure = toSegmentException(e, state.attempts.get());
          CallResult fallen = fallback(data, failure);
          // The call's span ends before its caller sees the answer.
          if (fallen != null) {
            endTrace(traced, fallen.source(), null, state);
            result.complete(fallen);
          } else {
            endTrace(traced, null, failure.code(), state);
            result.completeExceptionally(failure);
          }
        });
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            attempts.cancel(true);
          }
        });
    return result;
  }

  private @Nullable CallResult fallback(CustomerData data, SegmentException failure) {
    if (config.fallback() == null || !fallsBack(failure.code())) {
      return null;
    }
    try {
      SegmentAnalysis analysis = config.fallback().analyze(data);
      counters.fallbacks.increment();
      listeners(l -> l.onFallback(failure.code()));
      LOG.debug("segment call answered by the fallback segmenter after {}", failure.code());
      return new CallResult(analysis, Source.FALLBACK, failure.attempts());
    } catch (RuntimeException e) {
      LOG.warn(
          "the fallback segmenter failed ({}); reporting the agent's error",
          e.getClass().getSimpleName());
      return null;
    }
  }

  private static boolean fallsBack(ErrorCode code) {
    return switch (code) {
      case CIRCUIT_OPEN, THROTTLED, AGENT_UNAVAILABLE, TIMEOUT, AGENT_ERROR, MALFORMED_RESPONSE ->
          true;
      default -> false;
    };
  }

  /** One request: a concurrency permit, a rate slot, a session, the transport, the extractor. */
  private CompletableFuture<CallResult> attempt(
      CallState state, CustomerData data, byte[] payload, ExecutionContext<CallResult> ctx) {
    CompletableFuture<CallResult> out = new CompletableFuture<>();
    AtomicReference<@Nullable CompletableFuture<AgentResponse>> sent = new AtomicReference<>();
    ctx.onCancel(
        () -> {
          out.cancel(true);
          CompletableFuture<AgentResponse> f = sent.get();
          if (f != null) {
            f.cancel(true);
          }
        });
    out.whenComplete(
        (r, e) -> {
          CompletableFuture<AgentResponse> f = sent.get();
          if (out.isCancelled() && f != null) {
            f.cancel(true);
          }
        });
    state.current.set(out);
    if (state.cancelled || ctx.isCancelled()) {
      // Cancelled before this attempt ran: the callback above may never fire.
      out.cancel(true);
      return out;
    }
    queue(state, data, payload, out, sent);
    return out;
  }

  /** Waits for a concurrency permit, then for a rate slot, then sends. */
  private void queue(
      CallState state,
      CustomerData data,
      byte[] payload,
      CompletableFuture<CallResult> out,
      AtomicReference<@Nullable CompletableFuture<AgentResponse>> sent) {
    CompletableFuture<Void> permit = permits.acquire();
    out.whenComplete((r, e) -> permit.cancel(false));
    permit.thenRun(
        () -> {
          if (out.isDone()) {
            permits.release();
            return;
          }
          rateLimiter.submit(() -> send(state, data, payload, out, sent));
        });
  }

  private void send(
      CallState state,
      CustomerData data,
      byte[] payload,
      CompletableFuture<CallResult> out,
      AtomicReference<@Nullable CompletableFuture<AgentResponse>> sent) {
    if (out.isDone()) {
      permits.release();
      return;
    }
    // The client's own user shares the pool; a user a call names gets a session of its own.
    String session =
        sessions.acquire(
            data.customerId(),
            Objects.equals(state.user, config.runtimeUserId()) ? null : state.user);
    if (session == null) {
      // The session quota caps the pool and every session is busy: a permit held from before
      // the concurrency was lowered. Give it back and wait for one again; nothing was sent.
      permits.release();
      queue(state, data, payload, out, sent);
      return;
    }
    int attempt = state.attempts.incrementAndGet();
    counters.requests.increment();
    listeners(l -> l.onRequest(attempt));
    CallTracer.Call traced = state.trace;
    CallTracer.Attempt span = traced == null ? null : attemptTrace(traced, attempt);
    long sentAt = System.nanoTime();
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture<AgentResponse> f;
    try {
      f =
          transport.invoke(
              new AgentRequest(
                  config.agentRuntimeArn(),
                  config.qualifier(),
                  session,
                  state.user,
                  data.customerId(),
                  payload,
                  span == null ? null : contextOf(span)));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    sent.set(f);
    if (out.isCancelled()) {
      f.cancel(true); // cancelled while sending, before the request could be seen
    }
    CompletableFuture<AgentResponse> request = f;
    // An answer already here needs no deadline: scheduling and cancelling one costs more than the
    // rest of an in-process request.
    @Nullable ScheduledFuture<?> deadline =
        request.isDone()
            ? null
            : scheduler.schedule(
                () -> {
                  timedOut.set(true);
                  request.cancel(true);
                },
                config.attemptTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    request.whenComplete(
        (response, error) -> {
          if (deadline != null) {
            deadline.cancel(false);
          }
          long now = System.nanoTime();
          Duration latency = Duration.ofNanos(now - sentAt);
          if (span != null) {
            SegmentException failed =
                error == null
                    ? null
                    : timedOut.get()
                        ? new SegmentException(ErrorCode.TIMEOUT, "attemptTimeout")
                        : toSegmentException(error, 0);
            traceQuietly(
                () ->
                    span.end(
                        failed == null ? null : failed.code(),
                        failed == null ? Integer.valueOf(200) : failed.statusCode(),
                        latency));
          }
          if (error == null) {
            // The session goes back before the permit: the permit's next holder may start at once.
            sessions.release(session);
            permits.release();
            rateLimiter.onSuccess();
            listeners(l -> l.onResponse(latency));
            complete(state, response, out);
            return;
          }
          SegmentException failure =
              timedOut.get()
                  ? new SegmentException(
                      ErrorCode.TIMEOUT,
                      "the agent did not answer within "
                          + config.attemptTimeout()
                          + " (attemptTimeout)")
                  : toSegmentException(error, 0);
          if (failure.code() == ErrorCode.TIMEOUT || failure.code() == ErrorCode.CANCELLED) {
            // The agent may still be working in that session: never hand it to another request.
            stopQuietly(session);
          } else if (failure.code() == ErrorCode.QUOTA_EXCEEDED && sessions.isPooled(session)) {
            int pooled = sessions.reject(session);
            // With none of ours pooled, the quota is held by others: waiting for ours cannot help.
            state.sessionWillFree = pooled > 0;
            limitToSessions(pooled);
          } else {
            sessions.release(session);
          }
          permits.release();
          if (failure.code() == ErrorCode.THROTTLED) {
            counters.throttled.increment();
            if (rateLimiter.onThrottle(sentAt)) {
              double rate = rateLimiter.rate();
              LOG.debug(
                  "segment agent throttled; request rate now {}/s", String.format("%.2f", rate));
              listeners(l -> l.onThrottle(rate));
            }
          } else if (failure.code() == ErrorCode.AGENT_ERROR) {
            state.agentErrors.incrementAndGet();
          }
          listeners(l -> l.onRequestFailure(failure.code(), latency));
          out.completeExceptionally(new AttemptFailure(state, failure));
        });
  }

  private void complete(
      CallState state, AgentResponse response, CompletableFuture<CallResult> out) {
    if (config.payloadLogging() && LOG.isDebugEnabled()) {
      LOG.debug("segment agent answer ({}): {}", response.contentType(), response.body());
    }
    try {
      SegmentAnalysis analysis = AnalysisExtractor.extract(response, config.payloadLogging());
      out.complete(new CallResult(analysis, Source.AGENT, state.attempts.get()));
    } catch (MalformedResponseException e) {
      state.malformed.incrementAndGet();
      out.completeExceptionally(new AttemptFailure(state, e));
    }
  }

  /**
   * The account's active-session quota refused a new pooled session: the sessions the pool holds
   * are all this client may have, so at most that many requests run at once from now on (each
   * request holds a session), and the refused call is retried on a pooled session.
   */
  private void limitToSessions(int pooled) {
    if (pooled > 0 && permits.limitTo(pooled)) {
      int limit = permits.permits();
      LOG.warn(
          "the agent's active-session quota refused a new runtime session with {} pooled;"
              + " at most {} requests now run at once (maxConcurrency {})",
          pooled,
          limit,
          config.maxConcurrency());
      listeners(l -> l.onConcurrencyLimited(limit));
    }
  }

  private void stopQuietly(String session) {
    if (sessions.isPooled(session)) {
      sessions.retire(session);
      transport
          .stopSession(config.agentRuntimeArn(), config.qualifier(), session)
          .exceptionally(e -> null);
    }
  }

  /** Whether the call that failed with {@code e} tries again; its counts come with the failure. */
  private boolean shouldRetry(Throwable e) {
    ErrorCode code = codeOf(e);
    @Nullable CallState state = e instanceof AttemptFailure f ? f.state : null;
    return switch (code) {
      case THROTTLED, AGENT_UNAVAILABLE, TIMEOUT -> true;
      // Pooled: the concurrency now fits the session quota, and a pooled session will be free.
      case QUOTA_EXCEEDED -> state != null && state.sessionWillFree;
      case AGENT_ERROR -> state != null && state.agentErrors.get() <= config.agentErrorRetries();
      case MALFORMED_RESPONSE ->
          state != null && state.malformed.get() <= config.malformedResponseRetries();
      default -> false;
    };
  }

  /**
   * Whether a failed attempt counts toward opening the circuit: the agent could not be reached or
   * did not answer in time. A connection the peer closed or reset while a request was on it is
   * retried but not counted: servers and load balancers close kept-alive connections at will (the
   * request raced the close), and one lost connection says nothing about the agent. If the agent is
   * really down, the retry's new connection is refused or times out, and that counts.
   */
  private static boolean isOutage(Throwable e) {
    ErrorCode code = codeOf(e);
    return code == ErrorCode.TIMEOUT
        || (code == ErrorCode.AGENT_UNAVAILABLE && !connectionLost(unwrap(e)));
  }

  /** An established connection closed or reset under a request (not a refused connection). */
  static boolean connectionLost(@Nullable Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
      if (t instanceof java.io.IOException
          && !(t instanceof java.net.ConnectException)
          && t.getMessage() != null) {
        String m = t.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("connection was closed")
            || m.contains("connection reset")
            || m.contains("broken pipe")) {
          return true;
        }
      }
    }
    return false;
  }

  private Duration backoff(int attemptsSoFar) {
    long base = config.baseDelay().toNanos();
    long cap = config.maxDelay().toNanos();
    int shift = Math.min(30, Math.max(0, attemptsSoFar - 1));
    long ceiling = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
    return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }

  private static ErrorCode codeOf(@Nullable Throwable e) {
    Throwable t = unwrap(e);
    if (t instanceof SegmentException se) {
      return se.code();
    }
    if (t instanceof CircuitBreakerOpenException) {
      return ErrorCode.CIRCUIT_OPEN;
    }
    if (t instanceof CancellationException) {
      return ErrorCode.CANCELLED;
    }
    return ErrorCode.AGENT_UNAVAILABLE;
  }

  private SegmentException toSegmentException(@Nullable Throwable e, int attempts) {
    Throwable t = unwrap(e);
    if (t instanceof SegmentException se) {
      return se.withAttempts(Math.max(attempts, se.attempts()));
    }
    if (t instanceof CircuitBreakerOpenException) {
      return new SegmentException(
          ErrorCode.CIRCUIT_OPEN,
          "the circuit breaker is open: the agent"
              + " failed at least "
              + config.circuitBreakerFailures()
              + " of the last "
              + config.circuitBreakerWindow()
              + " requests; calls fail fast until it is probed again"
              + " (configure a fallback to answer locally meanwhile)",
          attempts,
          null,
          null,
          null);
    }
    if (t instanceof CancellationException) {
      return new SegmentException(
          ErrorCode.CANCELLED, "the call was cancelled", attempts, null, null, null);
    }
    return new SegmentException(
        ErrorCode.AGENT_UNAVAILABLE,
        "the agent call failed: " + (t == null ? "unknown error" : t.getClass().getSimpleName()),
        attempts,
        null,
        null,
        t);
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException
            || t instanceof ExecutionException
            || t instanceof AttemptFailure)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private void listeners(Consumer<SegmentClientListener> event) {
    for (SegmentClientListener l : config.listeners()) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("segment client listener {} failed: {}", l.getClass().getName(), e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- batches

  @Override
  public List<SegmentOutcome> analyzeAll(List<CustomerData> customers, BatchOptions options) {
    return analyzeAll(customers, options, config.runtimeUserId());
  }

  List<SegmentOutcome> analyzeAll(
      List<CustomerData> customers, BatchOptions options, @Nullable String user) {
    List<SegmentOutcome> out = new ArrayList<>(customers.size());
    BatchOptions ordered =
        options.ordered()
            ? options
            : BatchOptions.builder()
                .ordered(true)
                .maxBuffered(options.maxBuffered())
                .bypassCache(options.bypassCache())
                .progressListener(options.progressListener())
                .progressInterval(options.progressInterval())
                .build();
    analyzeStream(customers.iterator(), out::add, ordered, user);
    return out;
  }

  @Override
  public BatchSummary analyzeStream(
      Iterator<CustomerData> source, Consumer<SegmentOutcome> sink, BatchOptions options) {
    return analyzeStream(source, sink, options, config.runtimeUserId());
  }

  BatchSummary analyzeStream(
      Iterator<CustomerData> source,
      Consumer<SegmentOutcome> sink,
      BatchOptions options,
      @Nullable String user) {
    return new BatchRunner(this, source, sink, options, user).run();
  }

  @Override
  public BatchJob startBatch(
      Iterator<CustomerData> source, Consumer<SegmentOutcome> sink, BatchOptions options) {
    return startBatch(source, sink, options, config.runtimeUserId());
  }

  BatchJob startBatch(
      Iterator<CustomerData> source,
      Consumer<SegmentOutcome> sink,
      BatchOptions options,
      @Nullable String user) {
    BatchRunner runner = new BatchRunner(this, source, sink, options, user);
    Thread thread =
        new Thread(
            () -> {
              try {
                runner.run();
              } catch (RuntimeException | Error e) {
                runner.fail(e);
              }
            },
            "opagent-segment-batch");
    thread.setDaemon(true);
    thread.start();
    return runner;
  }

  /** Starts one batch customer; used by {@link BatchRunner}. */
  CompletableFuture<CallResult> startForBatch(
      CustomerData data, boolean bypassCache, @Nullable String user) {
    return call(data, bypassCache, user);
  }

  /** Counts a record the batch source could not read. */
  void countUnreadable() {
    counters.calls.increment();
    counters.failed.increment();
  }

  int maxConcurrency() {
    return config.maxConcurrency();
  }

  /** Requests and throttles so far, for batch summaries. */
  long[] requestCounters() {
    return new long[] {counters.requests.sum(), counters.throttled.sum()};
  }

  double currentRate() {
    return rateLimiter.rate();
  }

  /** Maps any failure to the typed exception carrying its code. */
  SegmentException failureOf(Throwable e) {
    return toSegmentException(e, 0);
  }

  @Override
  public SegmentClient onBehalfOf(String runtimeUserId) {
    return new OnBehalfOf(this, SegmentClientBuilder.checkedUserId(runtimeUserId));
  }

  // ---------------------------------------------------------------- stats and close

  @Override
  public SegmentClientConfig config() {
    return config;
  }

  @Override
  public SegmentClientStats stats() {
    return new SegmentClientStats(
        counters.calls.sum(),
        counters.requests.sum(),
        counters.succeeded.sum(),
        counters.failed.sum(),
        counters.throttled.sum(),
        counters.retries.sum(),
        counters.cacheHits.sum(),
        counters.cacheMisses.sum(),
        counters.deduplicated.sum(),
        counters.fallbacks.sum(),
        sessions.created(),
        rateLimiter.rate());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (CompletableFuture<?> f : List.copyOf(executions)) {
      f.cancel(true);
    }
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    if (sessions.isPooled()) {
      for (String id : sessions.pooledIds()) {
        stops.add(
            transport
                .stopSession(config.agentRuntimeArn(), config.qualifier(), id)
                .exceptionally(e -> null));
      }
    }
    try {
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
          .get(STOP_SESSIONS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.debug("not every runtime session stopped within {}", STOP_SESSIONS_TIMEOUT);
    }
    scheduler.shutdownNow();
    if (ownsTransport) {
      transport.close();
    }
  }

  // ---------------------------------------------------------------- small types

  /** The successful result of one call. */
  record CallResult(SegmentAnalysis analysis, Source source, int attempts) {}

  /**
   * A failed attempt: the failure itself (the cause) and the state of its call, which the retry
   * policy shared by every call reads. Never leaves the client: results are unwrapped first.
   */
  static final class AttemptFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialised: internal to one client
    final transient CallState state;

    AttemptFailure(CallState state, Throwable failure) {
      super(null, failure, false, false);
      this.state = state;
    }
  }

  private CallTracer.@Nullable Call beginTrace(CallTracer tracer) {
    try {
      return tracer.begin(config.agentRuntimeArn(), config.qualifier());
    } catch (RuntimeException e) {
      LOG.debug("the call tracer failed to begin a call ({})", e.getClass().getName());
      return null;
    }
  }

  private static CallTracer.@Nullable Attempt attemptTrace(CallTracer.Call call, int attempt) {
    try {
      return call.attempt(attempt);
    } catch (RuntimeException e) {
      LOG.debug("the call tracer failed to start an attempt ({})", e.getClass().getName());
      return null;
    }
  }

  private static @Nullable TraceContext contextOf(CallTracer.Attempt span) {
    try {
      TraceContext c = span.context();
      return c == null || c.isEmpty() ? null : c;
    } catch (RuntimeException e) {
      LOG.debug("the call tracer failed to give a context ({})", e.getClass().getName());
      return null;
    }
  }

  private static void endTrace(
      CallTracer.@Nullable Call traced,
      @Nullable Source source,
      @Nullable ErrorCode failure,
      CallState state) {
    if (traced != null) {
      traceQuietly(() -> traced.end(source, failure, state.attempts.get()));
    }
  }

  private static void traceQuietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.debug("the call tracer failed ({})", e.getClass().getName());
    }
  }

  /** Per-call counters that retry decisions need. */
  static final class CallState {
    /** The call's trace, when the client traces. */
    final CallTracer.@Nullable Call trace;

    /** The runtime user id the call is made on behalf of, if any. */
    final @Nullable String user;

    CallState(CallTracer.@Nullable Call trace, @Nullable String user) {
      this.trace = trace;
      this.user = user;
    }

    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger agentErrors = new AtomicInteger();
    final AtomicInteger malformed = new AtomicInteger();

    /** The latest attempt; with {@link #cancelled}, cancellation never misses one starting now. */
    final AtomicReference<@Nullable CompletableFuture<CallResult>> current =
        new AtomicReference<>();

    volatile boolean cancelled;

    /** The session quota refused a new session while the pool held others this call can use. */
    volatile boolean sessionWillFree;

    void cancel() {
      cancelled = true;
      CompletableFuture<CallResult> attempt = current.get();
      if (attempt != null) {
        attempt.cancel(true);
      }
    }
  }

  /** A call in flight that identical calls join; cancelled only when every caller has left. */
  private static final class InFlight {
    final CompletableFuture<CallResult> promise = new CompletableFuture<>();
    final AtomicInteger waiters = new AtomicInteger();
    volatile @Nullable CompletableFuture<CallResult> execution;

    CompletableFuture<CallResult> join(boolean shared) {
      waiters.incrementAndGet();
      CompletableFuture<CallResult> mine =
          promise.thenApply(
              r ->
                  shared
                      ? new CallResult(
                          r.analysis(), r.source() == Source.AGENT ? Source.CACHE : r.source(), 0)
                      : r);
      mine.whenComplete(
          (r, e) -> {
            if (mine.isCancelled() && waiters.decrementAndGet() == 0 && !promise.isDone()) {
              CompletableFuture<CallResult> exec = execution;
              if (exec != null) {
                exec.cancel(true);
              }
            }
          });
      return mine;
    }
  }

  private static final class Counters {
    final LongAdder calls = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder cacheMisses = new LongAdder();
    final LongAdder deduplicated = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
  }
}
