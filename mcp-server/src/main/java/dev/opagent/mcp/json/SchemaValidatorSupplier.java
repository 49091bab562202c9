package dev.opagent.mcp.json;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.JsonSchemaValidatorSupplier;

/** Supplies a {@link SchemaValidator} to the SDK's service loader. */
public final class SchemaValidatorSupplier implements JsonSchemaValidatorSupplier {
  @Override
  public JsonSchemaValidator get() {
    return new SchemaValidator();
  }
}
