package dev.opagent.testkit.channels;

import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.testkit.ActionChannelContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesChannelContractTest extends ActionChannelContract {
  @TempDir Path dir;

  @Override
  protected ActionChannel newChannel() {
    return JsonLinesChannel.open(dir.resolve("actions.jsonl"));
  }
}
