package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.rules.problem.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each size limit of the rule file reader yields one typed, located error that names the fix. */
class RuleFileLimitsTest {

  private static List<Problem> errors(String text) {
    LoadResult r = RuleSetLoader.ofDefaults().validate(RuleSource.string("t", text));
    assertThat(r).isInstanceOf(LoadResult.Invalid.class);
    return ((LoadResult.Invalid) r).errors();
  }

  private static String rule(String conditions) {
    return "{\"rules\": [{\"rule_id\": \"r\", \"actions\": [{\"type\": \"send_email\"}],"
        + " \"conditions\": "
        + conditions
        + "}]}";
  }

  @Test
  void validate_keyLongerThanTheLimit_isRejected() {
    String key = "k".repeat(RuleSetLoader.MAX_KEY_LENGTH + 1);
    assertThat(errors(rule("{\"" + key + "\": 1}")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("key is longer than 1000"));
    assertThat(
            RuleSetLoader.ofDefaults()
                .validate(RuleSource.string("t", rule("{\"" + key.substring(1) + "\": 1}"))))
        .isInstanceOf(LoadResult.Loaded.class);
  }

  @Test
  void validate_numberOrStringLongerThanTheLimit_isRejected() {
    assertThat(errors(rule("{\"a\": " + "9".repeat(RuleSetLoader.MAX_NUMBER_LENGTH + 1) + "}")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("number is longer"));
    assertThat(errors(rule("{\"a\": \"" + "s".repeat(RuleSetLoader.MAX_STRING_LENGTH + 1) + "\"}")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("string is longer"));
  }

  @Test
  void validate_documentLongerThanTheLimit_isRejectedBeforeParsing() {
    String text = rule("{}") + " ".repeat(RuleSetLoader.MAX_DOCUMENT_LENGTH);
    assertThat(errors(text))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("split it"));
  }

  @Test
  void validate_thousandsOfProblems_listsTheFirstHundredAndCountsTheRest() {
    String keys =
        IntStream.range(0, 5000)
            .mapToObj(i -> "\"a\": {\"$bogus\": 1}")
            .collect(Collectors.joining(", "));
    LoadResult r =
        RuleSetLoader.ofDefaults().validate(RuleSource.string("t", rule("{" + keys + "}")));
    List<Problem> problems = ((LoadResult.Invalid) r).problems();
    assertThat(problems.size()).isLessThanOrEqualTo(3 * RuleSetLoader.MAX_PROBLEMS);
    assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("more problems"));
  }

  @Test
  void fileSource_largerThanTheByteLimit_failsToReadWithoutLoadingIt(@TempDir Path dir)
      throws Exception {
    Path big = dir.resolve("big.json");
    try (var ch =
        Files.newByteChannel(
            big,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.position(RuleSource.MAX_BYTES + 10);
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {' '}));
    }
    LoadResult r = RuleSetLoader.ofDefaults().validate(RuleSource.file(big));
    assertThat(((LoadResult.Invalid) r).errors())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("larger than"));
  }
}
