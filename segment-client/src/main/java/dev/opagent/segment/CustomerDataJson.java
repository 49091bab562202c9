package dev.opagent.segment;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.opagent.segment.internal.wire.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Reading and writing {@link CustomerData} with errors that name fields but never values. */
final class CustomerDataJson {
  private CustomerDataJson() {}

  /**
   * Parses a bare or {@code {"customerData": …}}-wrapped customer-data object, within the bounds of
   * {@link Json}: an oversized, too deeply nested or unbounded number (such as {@code 1e50000000})
   * is refused, naming its field.
   *
   * @throws InvalidInputException naming the offending field, never its value
   */
  public static CustomerData parse(String json) {
    JsonNode node;
    try {
      node = Json.readTree(json);
    } catch (Json.UnreadableJsonException e) {
      throw new InvalidInputException(wirePath(e.path()), e.reason());
    }
    return fromTree(node);
  }

  /**
   * Converts a bare or wrapped customer-data tree. Every number in it must be within {@link Json}'s
   * bounds, and the modelled amounts and dates within {@link
   * CustomerDataValidator#boundsProblems(CustomerData)}, so that what is returned can be written,
   * hashed and segmented at a cost bounded by its size.
   *
   * @throws InvalidInputException naming the offending field, never its value
   */
  public static CustomerData fromTree(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InvalidInputException("customerData", "must be a JSON object");
    }
    boolean wrapped = node.has("customerData") && node.size() == 1;
    JsonNode data = wrapped ? node.get("customerData") : node;
    if (!data.isObject()) {
      throw new InvalidInputException("customerData", "must be a JSON object");
    }
    JsonNode id = data.get("customerId");
    if (id == null || id.isNull()) {
      throw new InvalidInputException("customerData.customerId", "is required");
    }
    if (!id.isTextual()) {
      throw new InvalidInputException("customerData.customerId", "must be a string");
    }
    String customerId = id.asText();
    String unbounded = Json.unboundedNumber(data);
    if (unbounded != null) {
      throw new InvalidInputException("customerData" + unbounded, Json.NUMBER_REASON)
          .forCustomer(customerId);
    }
    CustomerData read;
    try {
      read = Json.MAPPER.treeToValue(data, CustomerData.class);
    } catch (JsonParseException e) {
      throw new InvalidInputException("customerData", "is not valid JSON").forCustomer(customerId);
    } catch (DatabindException e) {
      throw new InvalidInputException(path(e), reason(e)).forCustomer(customerId);
    } catch (JsonProcessingException | IllegalArgumentException | ArithmeticException e) {
      throw new InvalidInputException("customerData", "could not be read").forCustomer(customerId);
    }
    List<FieldError> problems = CustomerDataValidator.boundsProblems(read);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems).forCustomer(customerId);
    }
    return read;
  }

  /** {@code customerData} followed by {@code path}, dropping the optional wrapper's step. */
  private static String wirePath(String path) {
    String unwrapped =
        path.startsWith(".customerData") ? path.substring(".customerData".length()) : path;
    return "customerData" + unwrapped;
  }

  /**
   * Writes the bare customer-data object.
   *
   * @throws InvalidInputException when an amount, date or extra number is out of bounds (it cannot
   *     be written as plain JSON at a bounded cost)
   */
  public static String write(CustomerData data) {
    List<FieldError> problems = CustomerDataValidator.boundsProblems(data);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems).forCustomer(data.customerId());
    }
    try {
      return Json.MAPPER.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("customer data could not be written as JSON", e);
    }
  }

  /**
   * The hex SHA-256 of the canonical JSON of {@code data}: the tree sent to the agent, with every
   * object's members sorted by name.
   */
  public static String canonicalHash(CustomerData data) {
    try {
      JsonNode tree = Json.MAPPER.valueToTree(data);
      byte[] canonical =
          Json.CANONICAL
              .writer()
              .with(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
              .writeValueAsBytes(tree);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("customer data could not be hashed", e);
    }
  }

  private static String path(DatabindException e) {
    StringBuilder sb = new StringBuilder("customerData");
    if (e instanceof JsonMappingException jme) {
      for (JsonMappingException.Reference ref : jme.getPath()) {
        if (ref.getFieldName() != null) {
          sb.append('.').append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          sb.append('[').append(ref.getIndex()).append(']');
        }
      }
    }
    return sb.toString();
  }

  private static String reason(DatabindException e) {
    if (e instanceof ValueInstantiationException) {
      return "is missing or has an invalid value";
    }
    String original = e.getOriginalMessage();
    if (original != null && original.startsWith("not a date-time")) {
      return "is " + original;
    }
    Class<?> target =
        e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mie
            ? mie.getTargetType()
            : null;
    if (target == null) {
      return "has an invalid value";
    }
    return "must be " + describe(target);
  }

  private static String describe(Class<?> type) {
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type == String.class || type.isRecord() && type.getSimpleName().endsWith("Segment")) {
      return "a string";
    }
    if (java.util.List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type == java.time.OffsetDateTime.class) {
      return "a date-time such as 2026-01-15T00:00:00";
    }
    if (type.isRecord()) {
      return type == dev.opagent.segment.Season.class ? "a string" : "an object";
    }
    return "a " + type.getSimpleName();
  }
}
