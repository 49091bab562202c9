package dev.opagent.channels.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event of the SendGrid Event Webhook (whose body is a JSON array of them). Immutable. Its
 * {@link #toString()} leaves out the e-mail address.
 *
 * @param index the event's position in the array, from 0
 * @param event {@code event}: {@code delivered}, {@code open}, {@code click}, {@code bounce},
 *     {@code dropped}, {@code unsubscribe}, {@code group_unsubscribe}, {@code spamreport}, {@code
 *     processed}, {@code deferred}, …
 * @param eventId {@code sg_event_id}, unique per event: what duplicates are recognised by
 * @param email {@code email}, the recipient; null when absent
 * @param at {@code timestamp}
 * @param bounceType a bounce's {@code type}: {@code bounce} (hard) or {@code blocked} (soft); null
 *     for other events or when absent
 * @param customArgs the {@code opagent_…} custom args of the message (see {@link
 *     WebhookParameters}), which SendGrid adds to each event as fields
 */
public record SendGridEvent(
    int index,
    String event,
    String eventId,
    @Nullable String email,
    Instant at,
    @Nullable String bounceType,
    Map<String, String> customArgs) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARG_PREFIX = "opagent_";

  /** Copies the args. */
  public SendGridEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(at, "at");
    customArgs = Map.copyOf(customArgs);
  }

  /** A custom arg, such as {@link WebhookParameters#KEY}; null when the message had none. */
  public @Nullable String arg(String name) {
    return customArgs.get(name);
  }

  /**
   * One element of the array: the event, or why it cannot be read.
   *
   * @param index its position, from 0
   * @param event the event; null when it cannot be read
   * @param error what is wrong with it, naming the field as {@code [index].field}; null when read
   */
  public record Parsed(
      int index, @Nullable SendGridEvent event, @Nullable WebhookException error) {}

  /**
   * Reads the body of an Event Webhook request. An element that is not a valid event fails alone.
   *
   * @throws WebhookException 400 when the body is not a JSON array
   */
  public static List<Parsed> parseAll(byte[] body) {
    JsonNode array;
    try {
      array = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw WebhookException.badRequest("body", "is not valid JSON");
    }
    if (array == null || !array.isArray()) {
      throw WebhookException.badRequest("body", "must be a JSON array of events");
    }
    List<Parsed> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        out.add(new Parsed(i, parse(i, array.get(i)), null));
      } catch (WebhookException e) {
        out.add(new Parsed(i, null, e));
      }
    }
    return out;
  }

  private static SendGridEvent parse(int i, @Nullable JsonNode o) {
    String at = "[" + i + "]";
    if (o == null || !o.isObject()) {
      throw WebhookException.badRequest(at, "must be a JSON object: an event");
    }
    String event = text(o, "event");
    if (event == null) {
      throw WebhookException.badRequest(at + ".event", "is required: the event's type");
    }
    String id = text(o, "sg_event_id");
    if (id == null) {
      throw WebhookException.badRequest(at + ".sg_event_id", "is required: the event's id");
    }
    JsonNode ts = o.get("timestamp");
    if (ts == null || !ts.isIntegralNumber() || !ts.canConvertToLong()) {
      throw WebhookException.badRequest(at + ".timestamp", "is required: seconds since the epoch");
    }
    Instant when;
    try {
      when = Instant.ofEpochSecond(ts.longValue());
    } catch (java.time.DateTimeException e) {
      throw WebhookException.badRequest(at + ".timestamp", "is out of range");
    }
    Map<String, String> args = new LinkedHashMap<>();
    for (String nested : List.of("unique_args", "custom_args")) {
      JsonNode n = o.get(nested);
      if (n != null && n.isObject()) {
        n.properties().forEach(e -> putArg(args, e.getKey(), e.getValue()));
      }
    }
    o.properties().forEach(e -> putArg(args, e.getKey(), e.getValue()));
    return new SendGridEvent(
        i,
        event,
        id,
        text(o, "email"),
        when,
        "bounce".equals(event) ? text(o, "type") : null,
        args);
  }

  private static void putArg(Map<String, String> args, String name, JsonNode value) {
    if (name.startsWith(ARG_PREFIX) && value.isTextual() && !value.textValue().isBlank()) {
      args.put(name, value.textValue());
    }
  }

  private static @Nullable String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n != null && n.isTextual() && !n.textValue().isBlank() ? n.textValue() : null;
  }

  @Override
  public String toString() {
    return "SendGridEvent[index="
        + index
        + ", event="
        + event
        + ", eventId="
        + eventId
        + ", at="
        + at
        + ", bounceType="
        + bounceType
        + ", customArgs="
        + customArgs
        + "]";
  }
}
