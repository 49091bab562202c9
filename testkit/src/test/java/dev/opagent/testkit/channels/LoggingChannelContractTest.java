package dev.opagent.testkit.channels;

import dev.opagent.agent.execution.channels.LoggingChannel;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.testkit.ActionChannelContract;
import org.slf4j.helpers.NOPLogger;

class LoggingChannelContractTest extends ActionChannelContract {
  @Override
  protected ActionChannel newChannel() {
    // the dry-run lines of 200 concurrent deliveries would only flood the build output
    return LoggingChannel.builder().name("dry-run").logger(NOPLogger.NOP_LOGGER).build();
  }
}
