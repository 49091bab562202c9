package dev.opagent.rules.condition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Why a condition did not match: the sub-condition that failed, where it is written, and the value
 * it saw. Serialises with a plain Jackson {@code ObjectMapper}. Immutable and thread-safe.
 *
 * <pre>{@code
 * {"pointer": "/rules/0/conditions/segments.churnSegment", "path": "segments.churnSegment",
 *  "operator": "$eq", "expected": "Riskli", "actual": "Aktif",
 *  "message": "segments.churnSegment is \"Aktif\", expected \"Riskli\""}
 * }</pre>
 *
 * @param pointer JSON pointer of the failing sub-condition (within the rule file when the condition
 *     came from one)
 * @param path attribute path the sub-condition reads, or {@code null} for {@code $or}, {@code $nor}
 *     and {@code $not} over whole conditions
 * @param operator the failing operator ({@code $eq} for a plain value, {@code $or}, {@code $gt}, …)
 * @param expected the operand as written
 * @param actual the value seen; {@code null} (omitted in JSON) when the attribute is absent, a JSON
 *     null node when it is present and null
 * @param message one human-readable sentence
 * @param causes for {@code $or}: why each alternative failed; otherwise empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Failure(
    String pointer,
    @Nullable String path,
    String operator,
    @Nullable JsonNode expected,
    @Nullable JsonNode actual,
    String message,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Failure> causes) {

  public Failure {
    // Jackson passes null for an omitted (empty) list
    causes = causes == null ? List.of() : List.copyOf(causes);
  }
}
