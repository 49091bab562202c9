package dev.opagent.mcp.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.util.Objects;

/**
 * The MCP SDK's {@link McpJsonMapper} on a Jackson 2 {@link ObjectMapper}. Thread-safe as the
 * mapper is (never reconfigure it after handing it over).
 *
 * <pre>{@code
 * McpJsonMapper json = JacksonMcpJson.standard();
 * var transport = HttpClientStreamableHttpTransport.builder(url).jsonMapper(json).build();
 * }</pre>
 */
public final class JacksonMcpJson implements McpJsonMapper {
  private static final JacksonMcpJson STANDARD =
      new JacksonMcpJson(
          JsonMapper.builder()
              // the protocol grows: members a newer peer sends are ignored, as the spec asks
              .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .build());

  private final ObjectMapper mapper;

  /** A binding on {@code mapper}, which must ignore unknown properties. */
  public JacksonMcpJson(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** The shared binding: a plain mapper that ignores members it does not know. */
  public static JacksonMcpJson standard() {
    return STANDARD;
  }

  /** The Jackson mapper underneath. */
  public ObjectMapper objectMapper() {
    return mapper;
  }

  @Override
  public <T> T readValue(String content, Class<T> type) throws IOException {
    return mapper.readValue(content, type);
  }

  @Override
  public <T> T readValue(byte[] content, Class<T> type) throws IOException {
    return mapper.readValue(content, type);
  }

  @Override
  public <T> T readValue(String content, TypeRef<T> type) throws IOException {
    return mapper.readValue(content, javaType(type));
  }

  @Override
  public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
    return mapper.readValue(content, javaType(type));
  }

  @Override
  public <T> T convertValue(Object fromValue, Class<T> type) {
    return mapper.convertValue(fromValue, type);
  }

  @Override
  public <T> T convertValue(Object fromValue, TypeRef<T> type) {
    return mapper.convertValue(fromValue, javaType(type));
  }

  @Override
  public String writeValueAsString(Object value) throws IOException {
    return mapper.writeValueAsString(value);
  }

  @Override
  public byte[] writeValueAsBytes(Object value) throws IOException {
    return mapper.writeValueAsBytes(value);
  }

  private JavaType javaType(TypeRef<?> type) {
    return mapper.getTypeFactory().constructType(type.getType());
  }
}
