package dev.opagent.testkit.channels;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.testkit.ActionChannelContract;
import dev.opagent.testkit.InMemoryChannel;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The contract fails for channels that break it, and passes for one that keeps it. */
class ActionChannelContractTest {

  /** Runs the contract's tests by hand against the channels {@code factory} makes. */
  private static final class Against extends ActionChannelContract {
    private final Supplier<ActionChannel> factory;

    Against(Supplier<ActionChannel> factory) {
      this.factory = factory;
    }

    @Override
    protected ActionChannel newChannel() {
      return factory.get();
    }
  }

  /** A channel answering with whatever receipt {@code answer} makes of each request. */
  private static ActionChannel answering(
      boolean deduplicates, Function<ActionRequest, DeliveryReceipt> answer) {
    return new ActionChannel() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public DeliveryReceipt deliver(ActionRequest request) {
        return answer.apply(request);
      }

      @Override
      public boolean deduplicatesByKey() {
        return deduplicates;
      }
    };
  }

  @Test
  void contract_receiptForAnotherKey_fails() {
    Against contract =
        new Against(
            () ->
                answering(
                    false,
                    r ->
                        new DeliveryReceipt(
                            "ik-other", "broken", "x", Instant.EPOCH, null, false, "delivered")));

    assertThatThrownBy(contract::deliver_newKey_returnsReceiptForTheRequestKey)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("idempotency key");
  }

  @Test
  void contract_receiptNamingAnotherChannel_fails() {
    Against contract =
        new Against(
            () ->
                answering(
                    false, r -> DeliveryReceipt.delivered(r, "someone-else", "x", Instant.EPOCH)));

    assertThatThrownBy(contract::deliver_anyRequest_receiptChannelIsTheChannelName)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("name the channel");
  }

  @Test
  void contract_claimsDeduplicationButDeliversTwice_fails() {
    Against contract =
        new Against(
            () -> answering(true, r -> DeliveryReceipt.delivered(r, "broken", "x", Instant.EPOCH)));

    assertThatThrownBy(contract::deliver_sameKeyTwice_secondIsDuplicateWhenChannelDeduplicates)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("duplicate receipt");
  }

  @Test
  void contract_distinctKeysReportedAsDuplicates_failsTheConcurrencyTest() {
    Against contract =
        new Against(
            () -> answering(true, r -> DeliveryReceipt.duplicate(r, "broken", "x", Instant.EPOCH)));

    assertThatThrownBy(contract::deliver_distinctKeysFromEightThreads_allGetReceipts)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("must not be reported as duplicates");
  }

  @Test
  void contract_failingDeliveryUnderConcurrency_failsTheConcurrencyTest() {
    InMemoryChannel failsOnce = InMemoryChannel.create().failNext(1);
    Against contract = new Against(() -> failsOnce);

    assertThatThrownBy(contract::deliver_distinctKeysFromEightThreads_allGetReceipts)
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void contract_secondCloseThrows_fails() {
    Against contract =
        new Against(
            () ->
                new ActionChannel() {
                  private final AtomicBoolean closed = new AtomicBoolean();

                  @Override
                  public String name() {
                    return "broken";
                  }

                  @Override
                  public DeliveryReceipt deliver(ActionRequest request) {
                    return DeliveryReceipt.delivered(request, "broken", "x", Instant.EPOCH);
                  }

                  @Override
                  public void close() {
                    if (!closed.compareAndSet(false, true)) {
                      throw new IllegalStateException("already closed");
                    }
                  }
                });

    assertThatThrownBy(contract::close_calledTwice_isIdempotent)
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void contract_keptByInMemoryChannelWithoutDeduplication() {
    Against contract =
        new Against(() -> InMemoryChannel.builder().deduplicatesByKey(false).build());

    assertThatCode(
            () -> {
              contract.deliver_newKey_returnsReceiptForTheRequestKey();
              contract.deliver_anyRequest_receiptChannelIsTheChannelName();
              contract.deliver_sameKeyTwice_secondIsDuplicateWhenChannelDeduplicates();
              contract.deliver_distinctKeysFromEightThreads_allGetReceipts();
              contract.close_calledTwice_isIdempotent();
            })
        .doesNotThrowAnyException();
  }
}
