package dev.opagent.agent.execution.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class LoggingChannelTest {
  private static final Instant NOW = Instant.parse("2026-03-15T09:00:00Z");

  private final CapturingLogger log = new CapturingLogger();

  @Test
  void deliver_withoutPayload_logsKeyCampaignTypeAndChannelOnly() {
    LoggingChannel channel = LoggingChannel.builder().logger(log).build();
    ActionRequest request = Requests.request("ik-dry", Requests.CUSTOMER);

    DeliveryReceipt receipt = channel.deliver(request);

    assertThat(receipt.duplicate()).isFalse();
    assertThat(receipt.channel()).isEqualTo("log");
    assertThat(log.lines)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.level()).isEqualTo(Level.INFO);
              assertThat(line.text())
                  .isEqualTo(
                      "dry run via log: key=ik-dry campaign=winback "
                          + "actionType=send_email channel=email");
            });
  }

  @Test
  void deliver_withPayload_logsCustomerAndParametersToo() {
    LoggingChannel channel =
        LoggingChannel.builder().logger(log).logPayload(true).name("dry-run").build();

    channel.deliver(Requests.request("ik-dry", Requests.CUSTOMER));

    assertThat(log.lines)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line.text())
                    .startsWith(
                        "dry run via dry-run: key=ik-dry campaign=winback actionType=send_email "
                            + "channel=email")
                    .contains("customer=" + Requests.CUSTOMER)
                    .contains(Requests.TEMPLATE)
                    .contains("\"discount\":0.15"));
  }

  @Test
  void deliver_sameKeyRepeatedly_alwaysDeliveredAndCounted() {
    LoggingChannel channel =
        LoggingChannel.builder().logger(log).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    ActionRequest request = Requests.request("ik-same");

    DeliveryReceipt first = channel.deliver(request);
    DeliveryReceipt second = channel.deliver(request);

    assertThat(first).isEqualTo(DeliveryReceipt.delivered(request, "log", "dry-run-1", NOW));
    assertThat(second).isEqualTo(DeliveryReceipt.delivered(request, "log", "dry-run-2", NOW));
    assertThat(channel.deliveries()).isEqualTo(2);
    assertThat(channel.deduplicatesByKey()).isFalse();
    assertThat(log.lines).hasSize(2);
  }

  @Test
  void ofDefaults_isNamedLogWithoutPayload() {
    LoggingChannel channel = LoggingChannel.ofDefaults();

    assertThat(channel.name()).isEqualTo("log");
    assertThat(channel.toString()).isEqualTo("LoggingChannel[name=log, logPayload=false]");
    assertThat(channel.deliver(Requests.request("ik-default")).externalId()).isEqualTo("dry-run-1");
    assertThatThrownBy(() -> LoggingChannel.builder().name(""))
        .hasMessage("name must not be blank");
  }

  record Line(Level level, String text) {}

  /** Records formatted log lines. */
  static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    final List<Line> lines = new CopyOnWriteArrayList<>();

    CapturingLogger() {
      this.name = "capture";
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return CapturingLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, arguments)));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
