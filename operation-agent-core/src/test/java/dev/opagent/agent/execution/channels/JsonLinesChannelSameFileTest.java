package dev.opagent.agent.execution.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opagent.agent.execution.spi.ChannelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file reached by another name (a symbolic link, {@code ..}, a relative path, a hard link) is the
 * same file: a second channel on it is refused, and refusing it must not cost the first channel its
 * lock (closing any descriptor of a file drops the process's POSIX locks on it).
 */
class JsonLinesChannelSameFileTest {
  @TempDir Path dir;

  @Test
  void open_sameFileThroughSymlink_isRefusedAndFirstChannelKeepsItsLock() throws Exception {
    Path file = dir.resolve("actions.jsonl");
    Path link = dir.resolve("link.jsonl");
    try (JsonLinesChannel first = JsonLinesChannel.open(file)) {
      first.deliver(Requests.request("ik-1"));
      assumeTrue(symlink(link, file), "symbolic links are not supported here");
      assertThat(LockProbe.lockedByThisProcess(file)).as("locked while open").isTrue();

      assertThatThrownBy(() -> JsonLinesChannel.open(link))
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("is already open by another JsonLinesChannel");

      assertThat(LockProbe.lockedByThisProcess(file))
          .as("the first channel still holds the lock after the second was refused")
          .isTrue();
      assertThat(first.deliver(Requests.request("ik-2")).duplicate()).isFalse();
    }
    assertThat(LockProbe.lockedByThisProcess(file)).as("released on close").isFalse();
    try (JsonLinesChannel again = JsonLinesChannel.open(link)) {
      assertThat(again.lineCount()).isEqualTo(2);
    }
  }

  @Test
  @SuppressWarnings("try") // the first channel is held open, not used
  void open_sameFileThroughDotDotAndHardLink_isRefused() throws Exception {
    Path file = dir.resolve("a/actions.jsonl");
    Files.createDirectories(dir.resolve("b"));
    try (JsonLinesChannel first = JsonLinesChannel.open(file)) {
      assertThatThrownBy(() -> JsonLinesChannel.open(dir.resolve("b/../a/actions.jsonl")))
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("is already open");
      Path hard = dir.resolve("hard.jsonl");
      Files.createLink(hard, file);
      assertThatThrownBy(() -> JsonLinesChannel.open(hard))
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("is already open");
      assertThat(LockProbe.lockedByThisProcess(file)).isTrue();
    }
  }

  private static boolean symlink(Path link, Path target) {
    try {
      Files.createSymbolicLink(link, target);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
