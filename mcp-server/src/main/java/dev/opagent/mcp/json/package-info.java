/**
 * The MCP Java SDK's JSON binding on the library's own Jackson 2 and JSON Schema validator: {@link
 * dev.opagent.mcp.json.JacksonMcpJson} maps the protocol's messages, {@link
 * dev.opagent.mcp.json.SchemaValidator} checks schemas and structured results. Both are registered
 * as the SDK's service-loaded defaults, so an SDK client or server built beside this module finds
 * them without configuration.
 */
@NullMarked
package dev.opagent.mcp.json;

import org.jspecify.annotations.NullMarked;
