package dev.opagent.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.segment.internal.wire.Json;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks customer data before it is sent: every problem is reported with its field path, never with
 * the offending value. Stateless and thread-safe.
 *
 * <p>Rules: {@code customerId} present and non-blank (and, when {@code customer.customerId} is
 * given, equal to it); {@code customer.age} within 0–130; counts and amounts non-negative; amounts
 * ({@code totalSpent}, {@code avgDaysBetween}, {@code region.medianBasket}) at most {@link
 * #MAX_AMOUNT} with at most {@value #MAX_SCALE} decimals, so that no amount overflows a double
 * downstream or costs unbounded work; {@code productHistory} entries non-null with a product id;
 * dates ({@code registeredAt}, {@code lastPurchase}) within the years {@value #MIN_YEAR}–{@value
 * #MAX_YEAR}; every number in the extra members finite with at most 100 digits before and after the
 * decimal point. A date's form is checked when JSON is parsed ({@link
 * CustomerData#fromJson(String)}); the payload size is checked by the client.
 *
 * <p>Checking costs time proportional to the data's size whatever its numbers: no amount is
 * expanded (a scale such as that of {@code 1e50000000} is read, never multiplied out).
 */
public final class CustomerDataValidator {
  /** Largest accepted age in years. */
  public static final int MAX_AGE = 130;

  /** Largest accepted amount (money, days): a trillion. */
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

  /** Most decimals an amount may have. */
  public static final int MAX_SCALE = 12;

  /** Earliest year a date may have. */
  public static final int MIN_YEAR = 1;

  /** Latest year a date may have. */
  public static final int MAX_YEAR = 9999;

  /** Most digits an amount may have before its decimal point ({@link #MAX_AMOUNT} has 13). */
  private static final int MAX_AMOUNT_DIGITS = 13;

  private static final String AMOUNT_RULE =
      "must be at most " + MAX_AMOUNT.toPlainString() + " with at most " + MAX_SCALE + " decimals";

  private CustomerDataValidator() {}

  /**
   * The problems that make {@code data} unsafe to write or compute with, whatever else is wrong
   * with it: amounts beyond {@link #MAX_AMOUNT} or {@link #MAX_SCALE} (in either sign), dates
   * outside the years {@value #MIN_YEAR}–{@value #MAX_YEAR} and out-of-bounds numbers in extra
   * members. {@link #problems(CustomerData)} includes them. Reading JSON refuses data that has any;
   * empty when there is none.
   */
  public static List<FieldError> boundsProblems(CustomerData data) {
    List<FieldError> errors = new ArrayList<>();
    check(errors, data, false);
    return errors;
  }

  /** Every problem in {@code data}, in field order; empty when it is valid. */
  public static List<FieldError> problems(CustomerData data) {
    List<FieldError> errors = new ArrayList<>();
    check(errors, data, true);
    return errors;
  }

  /**
   * Throws when {@code data} is invalid.
   *
   * @throws InvalidInputException listing every problem
   */
  public static void validate(CustomerData data) {
    if (isValid(data)) {
      return; // the usual case, checked without building a field path
    }
    List<FieldError> errors = problems(data);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  /**
   * Whether {@link #problems(CustomerData)} is empty, in one pass that builds nothing (no field
   * path, no list) while the data is valid.
   */
  static boolean isValid(CustomerData data) {
    if (data.customerId().isBlank()) {
      return false;
    }
    Customer customer = data.customer();
    if (customer != null) {
      if (customer.customerId() != null && !customer.customerId().equals(data.customerId())) {
        return false;
      }
      Integer age = customer.age();
      if (age != null && (age < 0 || age > MAX_AGE)) {
        return false;
      }
      if (!isDate(customer.registeredAt())) {
        return false;
      }
      for (ProductHistory p : customer.productHistory()) {
        if (p == null
            || p.productId() == null
            || p.productId().isBlank()
            || (p.totalQuantity() != null && p.totalQuantity() < 0)
            || (p.orderCount() != null && p.orderCount() < 0)
            || !isAmount(p.totalSpent())
            || !isDate(p.lastPurchase())
            || !isAmount(p.avgDaysBetween())
            || !areBounded(p.extra())) {
          return false;
        }
      }
      if (!areBounded(customer.extra())) {
        return false;
      }
    }
    Region region = data.region();
    if (region != null && (!isAmount(region.medianBasket()) || !areBounded(region.extra()))) {
      return false;
    }
    return areBounded(data.extra());
  }

  private static boolean isAmount(@Nullable BigDecimal value) {
    return value == null || (value.signum() >= 0 && isBoundedAmount(value));
  }

  private static boolean isDate(@Nullable OffsetDateTime value) {
    return value == null || (value.getYear() >= MIN_YEAR && value.getYear() <= MAX_YEAR);
  }

  private static boolean areBounded(Map<String, JsonNode> extra) {
    if (extra.isEmpty()) {
      return true;
    }
    for (JsonNode value : extra.values()) {
      if (value != null && Json.unboundedNumber(value) != null) {
        return false;
      }
    }
    return true;
  }

  private static void nonNegative(List<FieldError> errors, String field, @Nullable Integer value) {
    if (value != null && value < 0) {
      errors.add(new FieldError(field, "must not be negative"));
    }
  }

  /** Adds {@code data}'s problems: only those of bounds, or with {@code all} every one. */
  private static void check(List<FieldError> errors, CustomerData data, boolean all) {
    if (all && data.customerId().isBlank()) {
      errors.add(new FieldError("customerData.customerId", "must not be blank"));
    }
    Customer customer = data.customer();
    if (customer != null) {
      if (all
          && customer.customerId() != null
          && !customer.customerId().equals(data.customerId())) {
        errors.add(
            new FieldError(
                "customerData.customer.customerId",
                "must equal customerData.customerId (or be omitted)"));
      }
      Integer age = customer.age();
      if (all && age != null && (age < 0 || age > MAX_AGE)) {
        errors.add(
            new FieldError(
                "customerData.customer.age",
                "must be between 0 and " + MAX_AGE + " (or omitted when unknown)"));
      }
      date(errors, "customerData.customer.registeredAt", customer.registeredAt());
      List<ProductHistory> history = customer.productHistory();
      for (int i = 0; i < history.size(); i++) {
        String at = "customerData.customer.productHistory[" + i + "]";
        ProductHistory p = history.get(i);
        if (p == null) {
          if (all) {
            errors.add(new FieldError(at, "must not be null"));
          }
          continue;
        }
        if (all && (p.productId() == null || p.productId().isBlank())) {
          errors.add(new FieldError(at + ".productId", "must not be blank"));
        }
        if (all) {
          nonNegative(errors, at + ".totalQuantity", p.totalQuantity());
          nonNegative(errors, at + ".orderCount", p.orderCount());
        }
        amount(errors, at + ".totalSpent", p.totalSpent(), all);
        date(errors, at + ".lastPurchase", p.lastPurchase());
        amount(errors, at + ".avgDaysBetween", p.avgDaysBetween(), all);
        extras(errors, at, p.extra());
      }
      extras(errors, "customerData.customer", customer.extra());
    }
    Region region = data.region();
    if (region != null) {
      amount(errors, "customerData.region.medianBasket", region.medianBasket(), all);
      extras(errors, "customerData.region", region.extra());
    }
    extras(errors, "customerData", data.extra());
  }

  /**
   * Whether {@code value} is an amount the SDK accepts in magnitude and scale (its sign is not
   * checked): at most {@link #MAX_AMOUNT} in absolute value with at most {@link #MAX_SCALE}
   * decimals. Costs no more than reading the number's scale and length, whatever its exponent.
   */
  public static boolean isBoundedAmount(BigDecimal value) {
    return Json.isBounded(value, MAX_AMOUNT_DIGITS, MAX_SCALE)
        && value.abs().compareTo(MAX_AMOUNT) <= 0;
  }

  /** A bounded amount; with {@code all}, also non-negative (one problem per field). */
  private static void amount(
      List<FieldError> errors, String field, @Nullable BigDecimal value, boolean all) {
    if (value == null) {
      return;
    }
    if (all && value.signum() < 0) {
      errors.add(new FieldError(field, "must not be negative"));
    } else if (!isBoundedAmount(value)) {
      errors.add(new FieldError(field, AMOUNT_RULE));
    }
  }

  private static void date(List<FieldError> errors, String field, @Nullable OffsetDateTime value) {
    if (value != null && (value.getYear() < MIN_YEAR || value.getYear() > MAX_YEAR)) {
      errors.add(
          new FieldError(field, "must be a date in the years " + MIN_YEAR + " to " + MAX_YEAR));
    }
  }

  private static void extras(List<FieldError> errors, String at, Map<String, JsonNode> extra) {
    for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
      JsonNode value = e.getValue();
      String bad = value == null ? null : Json.unboundedNumber(value);
      if (bad != null) {
        errors.add(new FieldError(at + "." + Json.pathName(e.getKey()) + bad, Json.NUMBER_REASON));
      }
    }
  }
}
