package dev.opagent.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Consent as the command line reads it: the customer data's own {@code "consent"} array of channel
 * ids when it has one, else the channels of {@code opagent.consent.default-channels}.
 */
final class ConsentFromData implements OperationAgent.ContextCustomizer {
  private final Set<Channel> defaults;

  ConsentFromData(List<String> defaults) {
    this.defaults = channels(defaults, true);
  }

  Set<Channel> defaults() {
    return defaults;
  }

  @Override
  public void customize(
      CustomerData data, SegmentAnalysis analysis, CustomerContext.Builder context) {
    JsonNode own = data.extra().get("consent");
    if (own != null && own.isArray()) {
      List<String> ids = new ArrayList<>();
      own.forEach(n -> ids.add(n.asText()));
      context.consents(channels(ids, false));
    } else {
      context.consents(defaults);
    }
  }

  /**
   * The channels of {@code ids}; with {@code strict} an unknown id fails naming the property,
   * otherwise it is a contact channel of that id.
   */
  static Set<Channel> channels(List<String> ids, boolean strict) {
    Set<Channel> out = new LinkedHashSet<>();
    for (String id : ids) {
      String s = id.trim().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      out.add(
          switch (s) {
            case "email" -> Channel.EMAIL;
            case "sms" -> Channel.SMS;
            case "push" -> Channel.PUSH;
            case "in_app" -> Channel.IN_APP;
            case "phone" -> Channel.PHONE;
            default -> {
              if (strict && !s.matches("[a-z0-9_-]{1,40}")) {
                throw new IllegalStateException(
                    "opagent.consent.default-channels: '"
                        + id
                        + "' is not a channel id; use email, sms, push, in_app, phone or an own"
                        + " contact channel id of letters, digits, '_' and '-'");
              }
              yield Channel.contact(s);
            }
          });
    }
    return Set.copyOf(out);
  }
}
