package dev.opagent.channels.inbound;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a provider's webhook names a customer, for a {@link CustomerResolver}: the provider's own
 * customer id, an e-mail address or a phone number. Immutable. Its {@link #toString()} leaves out
 * the address and the number.
 *
 * @param provider the provider the webhook came from
 * @param providerCustomerId the provider's id of the customer (Shopify's {@code customer.id}); null
 *     when it has none
 * @param email the e-mail address; null when none
 * @param phone the phone number (E.164 as the provider sends it); null when none
 */
public record ContactRef(
    Provider provider,
    @Nullable String providerCustomerId,
    @Nullable String email,
    @Nullable String phone) {

  /** Checks the provider. */
  public ContactRef {
    Objects.requireNonNull(provider, "provider");
  }

  @Override
  public String toString() {
    return "ContactRef[provider="
        + provider.id()
        + ", providerCustomerId="
        + providerCustomerId
        + ", email="
        + (email == null ? "none" : "***")
        + ", phone="
        + (phone == null ? "none" : "***")
        + "]";
  }
}
