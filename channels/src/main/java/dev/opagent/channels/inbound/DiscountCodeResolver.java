package dev.opagent.channels.inbound;

import dev.opagent.channels.shopify.ShopifyDiscountChannel;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps a discount code used in an order to the idempotency key of the action that created it, so
 * that the purchase is attributed to that action (and its campaign) and counted as the code's use.
 * The outbound discount channel derives each code from its action's key; the host supplies the
 * inverse (a table the channel writes, a lookup in the shop). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface DiscountCodeResolver {

  /** The key of the action that created {@code code}, or empty when it was not created by one. */
  Optional<String> actionKey(String code);

  /** Resolves no code: purchases are attributed by last touch. */
  static DiscountCodeResolver none() {
    return code -> Optional.empty();
  }

  /**
   * Resolves the codes {@code ShopifyDiscountChannel} created with {@code prefix} (its default is
   * {@value ShopifyDiscountChannel#DEFAULT_CODE_PREFIX}): they encode the action's key when the key
   * is of the library's own form, so no table is needed.
   */
  static DiscountCodeResolver ofShopifyCodes(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return code -> ShopifyDiscountChannel.keyOf(prefix, code);
  }

  /** Resolves by a fixed table of code to key. */
  static DiscountCodeResolver of(Map<String, String> keysByCode) {
    Map<String, String> copy = Map.copyOf(keysByCode);
    return code -> Optional.ofNullable(copy.get(code));
  }
}
