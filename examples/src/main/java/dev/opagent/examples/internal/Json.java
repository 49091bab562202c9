package dev.opagent.examples.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The examples' one Jackson configuration. Every mapper here starts from the same builder:
 * Jackson's default features and the read limits below, fixed on the mapper so that a change to
 * Jackson's process-wide defaults does not change what the examples read. No Jackson module is
 * registered: nothing here binds dates or records. Configured once and never reconfigured;
 * thread-safe.
 */
public final class Json {
  /** Jackson's documented default read limits, stated explicitly. */
  public static final StreamReadConstraints READ_LIMITS =
      StreamReadConstraints.builder()
          .maxNestingDepth(StreamReadConstraints.DEFAULT_MAX_DEPTH)
          .maxNumberLength(StreamReadConstraints.DEFAULT_MAX_NUM_LEN)
          .maxStringLength(StreamReadConstraints.DEFAULT_MAX_STRING_LEN)
          .maxNameLength(StreamReadConstraints.DEFAULT_MAX_NAME_LEN)
          .maxDocumentLength(StreamReadConstraints.DEFAULT_MAX_DOC_LEN)
          .maxTokenCount(StreamReadConstraints.DEFAULT_MAX_TOKEN_COUNT)
          .build();

  /** Jackson's default features and {@link #READ_LIMITS}. */
  public static final ObjectMapper MAPPER = builder().build();

  /**
   * Keeps numbers as written when records pass through JSON trees: trailing zeros stay and no
   * {@code 3E+1} is written for 30. For the command line's JSON-lines input and output.
   */
  public static final ObjectMapper NUMBERS_AS_WRITTEN =
      builder()
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  /**
   * Exact decimals, and strict: a field given twice or anything after the object is an error. For
   * interaction lines, where an amount must be read exactly and an ambiguous line must fail.
   */
  public static final ObjectMapper STRICT_EXACT =
      builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private Json() {}

  /** The one place the configuration is written. */
  private static JsonMapper.Builder builder() {
    return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_LIMITS).build());
  }
}
