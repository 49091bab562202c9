package dev.opagent.channels.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FeedbackReceiver} made of one webhook request, and the HTTP status to answer with:
 * {@code 200} when it was verified and read (even if some of its events were rejected or ignored:
 * the provider's retry would not change them), {@code 401} when its signature does not verify,
 * {@code 400} when it cannot be read at all, {@code 404} when the provider is not configured (no
 * secret) and {@code 500} when handing it on failed (the provider retries it). Holds no personal
 * data and no secret. Immutable.
 *
 * @param provider the provider
 * @param status the HTTP status to answer with
 * @param accepted the events and interactions handed on
 * @param duplicates those already handled before (the same webhook id or event id), not again
 * @param withdrawn the pending and scheduled actions the handed-on events withdrew
 * @param ignored those verified but not acted on, by reason ({@code not_acted_on}, {@code
 *     unknown_customer}, {@code unattributed}, {@code soft_bounce}, {@code topic_not_handled}, …)
 * @param rejected the request's or its events' problems, each naming the field
 * @param error why the request as a whole was refused or failed; null when it was handled
 */
public record WebhookResult(
    Provider provider,
    int status,
    int accepted,
    int duplicates,
    int withdrawn,
    Map<String, Integer> ignored,
    List<Rejection> rejected,
    @Nullable String error) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the collections. */
  public WebhookResult {
    Objects.requireNonNull(provider, "provider");
    ignored = Map.copyOf(ignored);
    rejected = List.copyOf(rejected);
  }

  /**
   * A problem of the request or of one of its events.
   *
   * @param index the event's position in the request (SendGrid's array), or -1 for the request
   * @param field the header or field at fault, such as {@code [2].timestamp}
   * @param problem what it must be (never the value it held)
   */
  public record Rejection(int index, String field, String problem) {}

  /** A request refused as a whole: its signature (401) or its body (400). */
  static WebhookResult refused(Provider provider, WebhookException e) {
    return new WebhookResult(
        provider,
        e.status(),
        0,
        0,
        0,
        Map.of(),
        List.of(new Rejection(-1, e.field(), Objects.requireNonNullElse(e.getMessage(), ""))),
        e.getMessage());
  }

  /** A provider without a secret: 404. */
  static WebhookResult notConfigured(Provider provider) {
    return new WebhookResult(
        provider,
        404,
        0,
        0,
        0,
        Map.of(),
        List.of(),
        provider.id() + " webhooks are not received here: no secret is configured");
  }

  /** Whether the request was handled (status 200). */
  public boolean isOk() {
    return status == 200;
  }

  /** How many were ignored, over every reason. */
  public int ignoredCount() {
    return ignored.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The result as the JSON body of the answer. */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("provider", provider.id());
    o.put("status", status);
    o.put("accepted", accepted);
    o.put("duplicates", duplicates);
    o.put("withdrawn", withdrawn);
    ObjectNode ig = o.putObject("ignored");
    new TreeMap<>(ignored).forEach(ig::put);
    ArrayNode rj = o.putArray("rejected");
    for (Rejection r : rejected) {
      ObjectNode n = rj.addObject();
      if (r.index() >= 0) {
        n.put("index", r.index());
      }
      n.put("field", r.field());
      n.put("problem", r.problem());
    }
    if (error != null) {
      o.put("error", error);
    }
    return o.toString();
  }
}
