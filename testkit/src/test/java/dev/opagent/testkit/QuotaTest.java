package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.testkit.internal.RequestRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QuotaTest {
  private final AtomicLong nanos = new AtomicLong(1_000);

  @Test
  void tokenBucket_startsFullRefillsAtTheRateAndCapsAtCapacity() {
    TokenBucket bucket = new TokenBucket(10, 3, nanos::get);

    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
    nanos.addAndGet(99_000_000); // 0.099 s: 0.99 tokens
    assertThat(bucket.tryAcquire()).isFalse();
    nanos.addAndGet(1_000_000);
    assertThat(bucket.tryAcquire()).isTrue();
    nanos.addAndGet(60_000_000_000L);
    int taken = 0;
    while (bucket.tryAcquire()) {
      taken++;
    }
    assertThat(taken).isEqualTo(3);
  }

  @Test
  void sessions_quotaCountsLiveSessionsOnly() {
    SessionTracker sessions = new SessionTracker(2, Duration.ofSeconds(10), nanos::get);

    assertThat(sessions.use("a")).isTrue();
    assertThat(sessions.use("b")).isTrue();
    assertThat(sessions.use("c")).isFalse();
    assertThat(sessions.use("a")).isTrue();
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    assertThat(sessions.use("a")).isTrue(); // keeps a alive
    nanos.addAndGet(Duration.ofSeconds(5).toNanos()); // b idle for 11 s
    assertThat(sessions.live()).isEqualTo(1);
    assertThat(sessions.use("c")).isTrue();
    assertThat(sessions.distinct()).isEqualTo(3);
  }

  @Test
  void sessions_stopFreesASlotOnlyForLiveSessions() {
    SessionTracker sessions = new SessionTracker(1, Duration.ofSeconds(10), nanos::get);
    sessions.use("a");

    assertThat(sessions.stop("a")).isTrue();
    assertThat(sessions.stop("a")).isFalse();
    assertThat(sessions.stop("never")).isFalse();
    assertThat(sessions.use("b")).isTrue();
    assertThat(sessions.stopped()).isEqualTo(1);
    assertThat(sessions.live()).isEqualTo(1);
  }

  @Test
  void sessions_unlimited_neverRefuses() {
    SessionTracker sessions = new SessionTracker(0, Duration.ofSeconds(10), nanos::get);
    for (int i = 0; i < 5000; i++) {
      assertThat(sessions.use("s" + i)).isTrue();
    }
    assertThat(sessions.live()).isEqualTo(5000);
  }

  @Test
  void requestRandom_dependsOnSeedCustomerAndCallNumberOnly() {
    assertThat(RequestRandom.of(1, "C-1", 1).nextLong())
        .isEqualTo(RequestRandom.of(1, "C-1", 1).nextLong())
        .isNotEqualTo(RequestRandom.of(1, "C-1", 2).nextLong())
        .isNotEqualTo(RequestRandom.of(1, "C-2", 1).nextLong())
        .isNotEqualTo(RequestRandom.of(2, "C-1", 1).nextLong());
  }

  @Test
  void wireHelpers_decodeArnsAndReadAccessKeys() {
    assertThat(
            SimulatorHandler.decode(
                "arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A1%3Aruntime%2Fa+b"))
        .isEqualTo("arn:aws:bedrock-agentcore:us-west-2:1:runtime/a+b");
    assertThat(SimulatorHandler.queryParameter("a=1&qualifier=DEFAULT", "qualifier"))
        .isEqualTo("DEFAULT");
    assertThat(SimulatorHandler.queryParameter(null, "qualifier")).isNull();
    assertThat(
            SimulatorHandler.accessKeyId(
                "AWS4-HMAC-SHA256 Credential=AKID1/20260315/us-west-2/"
                    + "bedrock-agentcore/aws4_request, SignedHeaders=host, Signature=abc"))
        .isEqualTo("AKID1");
    assertThat(SimulatorHandler.accessKeyId(null)).isNull();
  }
}
