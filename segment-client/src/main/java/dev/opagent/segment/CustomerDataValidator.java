package dev.opagent.segment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks customer data before it is sent: every problem is reported with its field path, never
 * with the offending value. Stateless and thread-safe.
 *
 * <p>Rules: {@code customerId} present and non-blank (and, when {@code customer.customerId} is
 * given, equal to it); {@code customer.age} within 0–130; counts and amounts non-negative;
 * amounts ({@code totalSpent}, {@code avgDaysBetween}, {@code region.medianBasket}) at most
 * {@link #MAX_AMOUNT} with at most {@value #MAX_SCALE} decimals, so that no amount overflows a
 * double downstream or costs unbounded work;
 * {@code productHistory} entries non-null with a product id. Dates are checked when JSON is
 * parsed ({@link CustomerData#fromJson(String)}); the payload size is checked by the client.
 */
public final class CustomerDataValidator {
  /** Largest accepted age in years. */
  public static final int MAX_AGE = 130;

  /** Largest accepted amount (money, days): a trillion. */
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

  /** Most decimals an amount may have. */
  public static final int MAX_SCALE = 12;

  private CustomerDataValidator() {}

  /** Every problem in {@code data}; empty when it is valid. */
  public static List<FieldError> problems(CustomerData data) {
    List<FieldError> errors = new ArrayList<>();
    if (data.customerId().isBlank()) {
      errors.add(new FieldError("customerData.customerId", "must not be blank"));
    }
    Customer customer = data.customer();
    if (customer != null) {
      if (customer.customerId() != null && !customer.customerId().equals(data.customerId())) {
        errors.add(new FieldError("customerData.customer.customerId",
            "must equal customerData.customerId (or be omitted)"));
      }
      Integer age = customer.age();
      if (age != null && (age < 0 || age > MAX_AGE)) {
        errors.add(new FieldError("customerData.customer.age",
            "must be between 0 and " + MAX_AGE + " (or omitted when unknown)"));
      }
      List<ProductHistory> history = customer.productHistory();
      for (int i = 0; i < history.size(); i++) {
        String at = "customerData.customer.productHistory[" + i + "]";
        ProductHistory p = history.get(i);
        if (p == null) {
          errors.add(new FieldError(at, "must not be null"));
          continue;
        }
        if (p.productId() == null || p.productId().isBlank()) {
          errors.add(new FieldError(at + ".productId", "must not be blank"));
        }
        nonNegative(errors, at + ".totalQuantity", p.totalQuantity());
        nonNegative(errors, at + ".orderCount", p.orderCount());
        nonNegative(errors, at + ".totalSpent", p.totalSpent());
        nonNegative(errors, at + ".avgDaysBetween", p.avgDaysBetween());
      }
    }
    Region region = data.region();
    if (region != null) {
      nonNegative(errors, "customerData.region.medianBasket", region.medianBasket());
    }
    return errors;
  }

  /**
   * Throws when {@code data} is invalid.
   *
   * @throws InvalidInputException listing every problem
   */
  public static void validate(CustomerData data) {
    List<FieldError> errors = problems(data);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static void nonNegative(List<FieldError> errors, String field, Integer value) {
    if (value != null && value < 0) {
      errors.add(new FieldError(field, "must not be negative"));
    }
  }

  private static void nonNegative(List<FieldError> errors, String field, BigDecimal value) {
    if (value == null) {
      return;
    }
    if (value.signum() < 0) {
      errors.add(new FieldError(field, "must not be negative"));
    } else if (value.scale() > MAX_SCALE || value.precision() - value.scale() > 13
        || value.compareTo(MAX_AMOUNT) > 0) {
      errors.add(new FieldError(field, "must be at most " + MAX_AMOUNT.toPlainString()
          + " with at most " + MAX_SCALE + " decimals"));
    }
  }
}
