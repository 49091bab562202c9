package dev.opagent.agent.event;

import dev.opagent.segment.Customer;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ProductHistory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Folds a {@value CustomerEvent#PURCHASE} event into a customer's purchase history, so that the
 * segment agent sees it. Stateless and thread-safe.
 */
public final class Purchases {
  private Purchases() {}

  /**
   * The customer's data with the purchase added to the history entry of its product ({@code
   * data.product}, a new entry with {@code data.category} for a product not bought before): one
   * more order, {@code data.quantity} more units (1 when absent), {@code data.amount} more spent,
   * the last purchase at the event's time (kept when the history already has a later one) and the
   * average days between orders moved by the new gap. A purchase that names no product, and data of
   * another type of event, come back unchanged: the history is kept per product.
   *
   * @throws IllegalArgumentException if the event is of another customer
   */
  public static CustomerData apply(CustomerData data, CustomerEvent event) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(event, "event");
    if (!data.customerId().equals(event.customerId())) {
      throw new IllegalArgumentException("the event is of another customer than the data");
    }
    String product = event.text("product");
    if (!CustomerEvent.PURCHASE.equals(event.type()) || product == null || product.isBlank()) {
      return data;
    }
    BigDecimal amount = Objects.requireNonNull(event.decimal("amount"), "purchase amount");
    String category = event.text("category");
    BigDecimal quantityValue = event.decimal("quantity");
    int quantity =
        quantityValue != null && quantityValue.signum() > 0
            ? quantityValue.min(BigDecimal.valueOf(1_000_000)).intValue()
            : 1;
    OffsetDateTime at = event.at().atOffset(ZoneOffset.UTC);
    Customer customer = data.customer();
    List<ProductHistory> history =
        new ArrayList<>(customer == null ? List.of() : customer.productHistory());
    int index = -1;
    for (int i = 0; i < history.size() && index < 0; i++) {
      ProductHistory h = history.get(i);
      if (product.equals(h.productId())) {
        index = i;
      }
    }
    if (index < 0) {
      history.add(new ProductHistory(product, category, quantity, amount, 1, at, null, Map.of()));
    } else {
      history.set(index, bought(history.get(index), quantity, amount, at));
    }
    Customer updated =
        customer == null
            ? new Customer(data.customerId(), null, null, null, history)
            : new Customer(
                customer.customerId(),
                customer.age(),
                customer.gender(),
                customer.registeredAt(),
                history,
                customer.extra());
    return new CustomerData(
        data.customerId(), data.city(), updated, data.region(), data.currentSeason(), data.extra());
  }

  private static ProductHistory bought(
      ProductHistory h, int quantity, BigDecimal amount, OffsetDateTime at) {
    int orders = h.orderCount() == null ? 0 : h.orderCount();
    OffsetDateTime last = h.lastPurchase();
    BigDecimal average = h.avgDaysBetween();
    if (last != null && at.isAfter(last) && orders > 0) {
      BigDecimal gap =
          BigDecimal.valueOf(Duration.between(last, at).toMinutes())
              .divide(BigDecimal.valueOf(24 * 60), 2, RoundingMode.HALF_UP);
      // orders - 1 gaps so far, one more now
      BigDecimal sum =
          average == null ? BigDecimal.ZERO : average.multiply(BigDecimal.valueOf(orders - 1L));
      average = sum.add(gap).divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP);
    }
    return new ProductHistory(
        h.productId(),
        h.category(),
        (h.totalQuantity() == null ? 0 : h.totalQuantity()) + quantity,
        (h.totalSpent() == null ? BigDecimal.ZERO : h.totalSpent()).add(amount),
        orders + 1,
        last == null || at.isAfter(last) ? at : last,
        average,
        h.extra());
  }
}
