package dev.opagent.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The benchmarks' one Jackson configuration: Jackson's default features, and its documented default
 * read limits fixed on the mapper so that a change to Jackson's process-wide defaults does not
 * change what the benchmarks read. No module is registered. Thread-safe.
 */
final class Json {
  /** The read limits of {@link #MAPPER}: Jackson's defaults, stated explicitly. */
  static final StreamReadConstraints READ_LIMITS =
      StreamReadConstraints.builder()
          .maxNestingDepth(StreamReadConstraints.DEFAULT_MAX_DEPTH)
          .maxNumberLength(StreamReadConstraints.DEFAULT_MAX_NUM_LEN)
          .maxStringLength(StreamReadConstraints.DEFAULT_MAX_STRING_LEN)
          .maxNameLength(StreamReadConstraints.DEFAULT_MAX_NAME_LEN)
          .maxDocumentLength(StreamReadConstraints.DEFAULT_MAX_DOC_LEN)
          .maxTokenCount(StreamReadConstraints.DEFAULT_MAX_TOKEN_COUNT)
          .build();

  /** The mapper every benchmark reads and writes JSON with. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_LIMITS).build()).build();

  private Json() {}
}
