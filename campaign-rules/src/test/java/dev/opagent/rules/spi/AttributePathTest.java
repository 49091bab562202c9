package dev.opagent.rules.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttributePathTest {

  @Test
  void of_sameText_returnsTheSameInstance() {
    AttributePath first = AttributePath.of("segments.churnSegment");
    AttributePath second =
        AttributePath.of(new StringBuilder("segments.").append("churnSegment").toString());

    assertThat(second).isSameAs(first);
    assertThat(second.segments()).containsExactly("segments", "churnSegment");
    assertThat(AttributePath.of("segments.loyaltyTier")).isNotSameAs(first);
  }

  @Test
  void of_emptySegment_isRejected() {
    assertThatThrownBy(() -> AttributePath.of("segments..tier"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty segments");
    assertThatThrownBy(() -> AttributePath.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
  }

  @Test
  void getDouble_byDefault_readsNumbersThroughGet() {
    AttributePath age = AttributePath.of("customer.age");
    Attributes attributes = path -> path == age ? 42 : "forty-two";

    assertThat(attributes.getDouble(age)).isEqualTo(42.0);
    assertThat(attributes.getDouble(AttributePath.of("customer.name"))).isNaN();
    assertThat(Attributes.empty().getDouble(age)).isNaN();
  }
}
