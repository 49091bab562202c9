package dev.opagent.testkit.channels;

import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.testkit.ActionChannelContract;
import dev.opagent.testkit.InMemoryChannel;

class InMemoryChannelContractTest extends ActionChannelContract {
  @Override
  protected ActionChannel newChannel() {
    return InMemoryChannel.create();
  }
}
