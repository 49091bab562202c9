package dev.opagent.agent.execution.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.opagent.agent.execution.spi.ChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel's key map is bounded, and a full channel refuses rather than forgets. */
class JsonLinesChannelMaxKeysTest {
  @TempDir Path dir;

  @Test
  void deliver_beyondMaxKeys_isRefusedPermanentlyWhileKnownKeysStayDuplicates() throws Exception {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = JsonLinesChannel.builder(file).maxKeys(2).build()) {
      channel.deliver(Requests.request("ik-1"));
      channel.deliver(Requests.request("ik-2"));

      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> channel.deliver(Requests.request("ik-3")));

      assertThat(e).isNotNull();
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage())
          .contains("maxKeys 2")
          .contains("rotate")
          .doesNotContain(Requests.CUSTOMER)
          .doesNotContain("C-ik-3");
      assertThat(channel.deliver(Requests.request("ik-1")).duplicate()).isTrue();
      assertThat(channel.lineCount()).isEqualTo(2);
    }
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void open_fileWithMoreKeysThanMax_failsNamingTheOption() {
    Path file = dir.resolve("actions.jsonl");
    try (JsonLinesChannel channel = JsonLinesChannel.open(file)) {
      for (int i = 0; i < 3; i++) {
        channel.deliver(Requests.request("ik-" + i));
      }
    }
    assertThatThrownBy(() -> JsonLinesChannel.builder(file).maxKeys(2).build())
        .isInstanceOf(ChannelException.class)
        .hasMessageContaining("maxKeys 2");
    try (JsonLinesChannel reopened = JsonLinesChannel.builder(file).maxKeys(3).build()) {
      assertThat(reopened.lineCount()).isEqualTo(3);
    }
  }

  @Test
  void builder_nonPositiveMaxKeys_isRejected() {
    assertThatThrownBy(() -> JsonLinesChannel.builder(dir.resolve("x")).maxKeys(0))
        .hasMessage("maxKeys must be positive but was 0");
  }
}
