package dev.opagent.agent.tools;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration of the tools: it reads input schemas, parses and binds the model's
 * arguments and writes results. Thread-safe: configured here once and never changed.
 *
 * <p>It refuses what a model or a schema author cannot have meant unambiguously: unknown
 * properties, {@code null} for a primitive, a key given twice in one object, and text after the
 * first JSON value.
 */
final class ToolJson {
  /** The mapper; never reconfigure it. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private ToolJson() {}
}
