package dev.opagent.channels.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.segment.CustomerData;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Maps how a provider names a customer (a Shopify customer id, an e-mail address, a phone number)
 * to the host's customer id. Used when the webhook does not name an action of the journal whose
 * customer is known. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface CustomerResolver {

  /** The host's customer id, or empty when the customer is not known. */
  Optional<String> resolve(ContactRef contact);

  /** Resolves nobody: only webhooks that name a journalled action are attributed. */
  static CustomerResolver none() {
    return contact -> Optional.empty();
  }

  /**
   * Resolves by the fields of the customers' data ({@code extra}): {@code email} (in any case),
   * {@code phone} and {@code shopifyCustomerId}; and a Shopify customer id equal to a customer's
   * own id. A later customer with the same address replaces an earlier one.
   */
  static CustomerResolver byContactFields(Collection<CustomerData> customers) {
    Map<String, String> byEmail = new HashMap<>();
    Map<String, String> byPhone = new HashMap<>();
    Map<String, String> byShopify = new HashMap<>();
    for (CustomerData c : customers) {
      String id = c.customerId();
      byShopify.put(id, id);
      putField(byEmail, c.extra().get("email"), id, true);
      putField(byPhone, c.extra().get("phone"), id, false);
      putField(byShopify, c.extra().get("shopifyCustomerId"), id, false);
    }
    Map<String, String> email = Map.copyOf(byEmail);
    Map<String, String> phone = Map.copyOf(byPhone);
    Map<String, String> shopify = Map.copyOf(byShopify);
    return contact -> {
      String found = null;
      if (contact.provider() == Provider.SHOPIFY && contact.providerCustomerId() != null) {
        found = shopify.get(contact.providerCustomerId());
      }
      if (found == null && contact.email() != null) {
        found = email.get(contact.email().trim().toLowerCase(Locale.ROOT));
      }
      if (found == null && contact.phone() != null) {
        found = phone.get(contact.phone().trim());
      }
      return Optional.ofNullable(found);
    };
  }

  private static void putField(
      Map<String, String> map, @Nullable JsonNode value, String id, boolean lowerCase) {
    if (value != null && (value.isTextual() || value.isIntegralNumber())) {
      String s = value.asText().trim();
      if (!s.isEmpty()) {
        map.put(lowerCase ? s.toLowerCase(Locale.ROOT) : s, id);
      }
    }
  }
}
