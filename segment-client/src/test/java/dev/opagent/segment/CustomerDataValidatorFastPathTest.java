package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The validator's single-pass check agrees with the full one: data is valid exactly when {@code
 * problems} finds nothing, over random customers valid and invalid (blank or differing ids, ages
 * out of range, negative counts and amounts, amounts at and beyond their bounds, dates outside the
 * years allowed, extra members of every kind).
 */
class CustomerDataValidatorFastPathTest {
  @Property(tries = 5000)
  void isValid_anyCustomer_agreesWithProblems(@ForAll long seed) {
    CustomerData data = RequestPayloadWriterTest.customer(new Random(seed));
    boolean valid = CustomerDataValidator.problems(data).isEmpty();
    Statistics.collect(valid ? "valid" : "invalid");
    assertThat(CustomerDataValidator.isValid(data)).isEqualTo(valid);
    if (valid) {
      CustomerDataValidator.validate(data);
    } else {
      assertThatThrownBy(() -> CustomerDataValidator.validate(data))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.errors()).isEqualTo(CustomerDataValidator.problems(data)));
    }
  }
}
