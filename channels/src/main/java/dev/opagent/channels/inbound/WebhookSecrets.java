package dev.opagent.channels.inbound;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the receiver reads each provider's secret: the Shopify client secret, the SendGrid
 * verification key (base64 DER public key) or the Twilio auth token. Read on every request, so a
 * rotated secret takes effect at once. A provider without a secret is not received. Secrets never
 * appear in a log, an exception or a result. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface WebhookSecrets {

  /** The provider's secret, or empty when it has none (then its webhooks are not received). */
  Optional<String> secret(Provider provider);

  /**
   * The secrets of the environment: {@code SHOPIFY_WEBHOOK_SECRET}, {@code
   * SENDGRID_WEBHOOK_PUBLIC_KEY} and {@code TWILIO_AUTH_TOKEN} (see {@link
   * Provider#environmentVariable()}); a blank one counts as missing.
   */
  static WebhookSecrets fromEnvironment() {
    return from(System::getenv);
  }

  /** The secrets a lookup by variable name gives (the environment, a vault client). */
  static WebhookSecrets from(
      Function<String, ? extends @org.jspecify.annotations.Nullable String> lookup) {
    Objects.requireNonNull(lookup, "lookup");
    return provider -> {
      String s = lookup.apply(provider.environmentVariable());
      return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    };
  }

  /** Fixed secrets (tests, hosts that read them once). */
  static WebhookSecrets of(Map<Provider, String> secrets) {
    Map<Provider, String> copy = new EnumMap<>(Provider.class);
    secrets.forEach(
        (p, s) -> {
          if (s != null && !s.isBlank()) {
            copy.put(p, s);
          }
        });
    return provider -> Optional.ofNullable(copy.get(provider));
  }
}
