package dev.opagent.rules.attributes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.internal.Values;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import org.jspecify.annotations.Nullable;

/**
 * Attributes over a Jackson tree. Values are returned as the tree's own nodes (no conversion, no
 * allocation). The tree is not copied: thread-safe as long as nobody modifies it during
 * evaluations.
 *
 * <pre>{@code
 * Attributes a = JsonNodeAttributes.of(mapper.readTree(line));
 * }</pre>
 */
public final class JsonNodeAttributes implements Attributes {
  private final JsonNode root;

  private JsonNodeAttributes(JsonNode root) {
    this.root = root;
  }

  public static JsonNodeAttributes of(JsonNode root) {
    return new JsonNodeAttributes(root);
  }

  @Override
  public @Nullable Object get(AttributePath path) {
    return Values.getPath(root, path);
  }

  /** The underlying tree. */
  public JsonNode asJsonNode() {
    return root;
  }

  @Override
  public String toString() {
    return "JsonNodeAttributes" + root;
  }
}
