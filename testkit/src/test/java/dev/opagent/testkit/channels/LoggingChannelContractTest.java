package dev.opagent.testkit.channels;

import dev.opagent.agent.execution.channels.LoggingChannel;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.testkit.ActionChannelContract;

class LoggingChannelContractTest extends ActionChannelContract {
  @Override
  protected ActionChannel newChannel() {
    return LoggingChannel.builder().name("dry-run").build();
  }
}
