package dev.opagent.agent.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The library's one Jackson configuration (the policy and template readers aside, which read with
 * located errors and tighter limits of their own). Every mapper here starts from the same builder:
 * Jackson's default features and the read limits below, fixed on the mapper so that a host that
 * changes Jackson's process-wide defaults ({@link
 * StreamReadConstraints#overrideDefaultStreamReadConstraints}) does not change what the library
 * reads. No Jackson module is registered: the library writes instants and decimals itself. The
 * mappers are configured once, here, and never reconfigured; thread-safe.
 */
public final class Json {
  /**
   * The read limits of every mapper here: Jackson's documented defaults (nesting depth, number,
   * string and name length, document length and token count), stated explicitly.
   */
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

  /** {@link #MAPPER}'s writer with Jackson's default pretty printer (two-space indents). */
  public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  /**
   * {@link #MAPPER} that keeps a decimal as written through the tree model both ways: floats are
   * read as {@code BigDecimal} and trailing zeros are kept, so 12.50 stays 12.50. For the wire form
   * of action requests, where an amount must round-trip exactly.
   */
  public static final ObjectMapper EXACT_DECIMALS =
      builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private Json() {}

  /** The one place the configuration is written. */
  private static JsonMapper.Builder builder() {
    return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_LIMITS).build());
  }
}
