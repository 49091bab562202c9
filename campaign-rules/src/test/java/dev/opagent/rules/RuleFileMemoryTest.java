package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule file of about 1 MiB loads in a small heap whatever its shape: the reader keeps one small
 * location record per value, not a path string per value, so memory grows with the file's size, not
 * with its size times its depth. Runs the loader in a separate JVM with {@code -Xmx64m}.
 */
class RuleFileMemoryTest {

  /** Deep nesting under long keys, then a wide array: every value's path is ~100 KB long. */
  static String deepWideRuleFile(int levels, int keyLength, int elements) {
    StringBuilder sb = new StringBuilder(1 << 20);
    sb.append(
        "{\"rules\": [{\"rule_id\": \"deep\", \"actions\": [{\"type\": \"send_email\"}],"
            + " \"conditions\": ");
    for (int i = 0; i < levels; i++) {
      String key = Character.toString('a' + i % 26).repeat(keyLength);
      sb.append("{\"").append(key).append("\": {\"$elemMatch\": ");
    }
    sb.append("{\"x\": {\"$all\": [");
    for (int i = 0; i < elements; i++) {
      sb.append(i == 0 ? "0" : ",0");
    }
    sb.append("]}}");
    sb.append("}}".repeat(levels));
    sb.append("}]}");
    return sb.toString();
  }

  @Test
  void validate_oneMebibyteFileOfDeepPathsAndWideArrays_fitsIn64MebibyteHeap(@TempDir Path dir)
      throws Exception {
    String text = deepWideRuleFile(90, 1000, 430_000);
    assertThat(text.length()).isBetween(900 * 1024, 1024 * 1024);
    Path file = dir.resolve("deep.json");
    Files.writeString(file, text, StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Probe.class.getName());
    command.add(file.toString());
    Path out = dir.resolve("out.txt");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean finished = p.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    String output = Files.readString(out);
    assertThat(finished).as("loader finished; output: %s", output).isTrue();
    assertThat(p.exitValue()).as("exit status; output: %s", output).isZero();
    assertThat(output.lines().filter(l -> l.equals("result: Loaded"))).as(output).hasSize(2);
  }

  /** Loads the file named by its argument and prints the outcome. */
  public static final class Probe {
    private Probe() {}

    public static void main(String[] args) throws IOException {
      for (dev.opagent.rules.condition.ConditionMode mode :
          dev.opagent.rules.condition.ConditionMode.values()) {
        LoadResult r =
            RuleSetLoader.builder()
                .conditionMode(mode)
                .build()
                .validate(RuleSource.file(new File(args[0]).toPath()));
        System.out.println(
            "result: "
                + r.getClass().getSimpleName()
                + (r instanceof LoadResult.Invalid i ? " " + i.problems() : ""));
      }
    }
  }
}
