package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionPoolTest {

  @Test
  void forCustomer_shortId_isPrefixedAndPaddedTo33() {
    assertThat(SessionPool.forCustomer("C-1001")).isEqualTo("opagent-c-C-1001-----------------");
    assertThat(SessionPool.forCustomer("C-1001")).hasSize(SessionPool.MIN_LENGTH);
  }

  @Test
  void forCustomer_sameId_isDeterministic() {
    assertThat(SessionPool.forCustomer("C-42")).isEqualTo(SessionPool.forCustomer("C-42"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"C 1001", "müşteri-1", "a/b", "x.y@z"})
  void forCustomer_idWithOtherCharacters_isHashed(String id) {
    assertThat(SessionPool.forCustomer(id)).matches("opagent-h-[0-9a-f]{64}");
  }

  @Test
  void forCustomer_lengthBoundaries_stayWithin33And256() {
    String fits = "a".repeat(SessionPool.MAX_LENGTH - "opagent-c-".length());
    assertThat(SessionPool.forCustomer(fits)).hasSize(256).isEqualTo("opagent-c-" + fits);
    assertThat(SessionPool.forCustomer(fits + "a")).matches("opagent-h-[0-9a-f]{64}");
    assertThat(SessionPool.forCustomer("1")).hasSize(33);
  }

  /**
   * Regression: padding with '-' made "C-1" and "C-1-" (or "C-1--") share one session, so an agent
   * that keeps per-customer memory would mix two customers.
   */
  @Test
  void forCustomer_idsDifferingOnlyInTrailingDashes_getDistinctSessions() {
    assertThat(SessionPool.forCustomer("C-1")).isNotEqualTo(SessionPool.forCustomer("C-1-"));
    assertThat(SessionPool.forCustomer("C-1-")).isNotEqualTo(SessionPool.forCustomer("C-1--"));
    assertThat(SessionPool.forCustomer("C-1-")).hasSizeBetween(33, 256);
  }

  @Test
  void acquire_pooled_reusesMostRecentlyReleasedId() {
    SessionPool pool = new SessionPool(SessionMode.POOLED);
    String a = pool.acquire("C-1");
    String b = pool.acquire("C-2");
    assertThat(a).isNotEqualTo(b).hasSizeBetween(33, 256);
    pool.release(a);
    pool.release(b);
    assertThat(pool.acquire("C-3")).isEqualTo(b);
    assertThat(pool.acquire("C-4")).isEqualTo(a);
    assertThat(pool.created()).isEqualTo(2);
    assertThat(pool.pooledIds()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void rejectAndRetire_pooled_dropTheIdAndCountWhatRemains() {
    SessionPool pool = new SessionPool(SessionMode.POOLED);
    String a = pool.acquire("C-1");
    String b = pool.acquire("C-2");
    String c = pool.acquire("C-3");
    assertThat(pool.reject(c)).isEqualTo(2);
    assertThat(pool.reject(c)).as("a second refusal of the same id changes nothing").isEqualTo(2);
    pool.retire(b);
    assertThat(pool.pooledIds()).containsExactly(a);
    assertThat(pool.reject(a)).isZero();
    assertThat(pool.created()).isEqualTo(3);
  }

  @Test
  void acquire_afterARefusal_neverGrowsPastThePooledIdsThatRemained() {
    SessionPool pool = new SessionPool(SessionMode.POOLED);
    String a = pool.acquire("C-1");
    String b = pool.acquire("C-2");
    String refused = pool.acquire("C-3");
    assertThat(pool.reject(refused)).isEqualTo(2);
    assertThat(pool.acquire("C-4")).as("both pooled ids are busy").isNull();
    pool.release(b);
    assertThat(pool.acquire("C-4")).isEqualTo(b);
    pool.retire(a);
    assertThat(pool.acquire("C-5"))
        .as("a stopped id may be replaced")
        .isNotNull()
        .isNotIn(a, b, refused);
    assertThat(pool.acquire("C-6")).isNull();
  }

  @Test
  void acquire_perCustomer_derivesIdAndPoolsNothing() {
    SessionPool pool = new SessionPool(SessionMode.PER_CUSTOMER);
    assertThat(pool.acquire("C-1")).isEqualTo(SessionPool.forCustomer("C-1"));
    assertThat(pool.isPooled()).isFalse();
    assertThat(pool.pooledIds()).isEmpty();
  }
}
