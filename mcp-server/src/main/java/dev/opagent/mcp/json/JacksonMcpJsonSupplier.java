package dev.opagent.mcp.json;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.McpJsonMapperSupplier;

/** Supplies {@link JacksonMcpJson#standard()} to the SDK's service loader. */
public final class JacksonMcpJsonSupplier implements McpJsonMapperSupplier {
  @Override
  public McpJsonMapper get() {
    return JacksonMcpJson.standard();
  }
}
