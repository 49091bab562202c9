package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.internal.wire.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Labels are open enumerations: English constants, Turkish wire values, unknowns kept. */
class SegmentLabelTest {

  @Test
  void of_knownTurkishValue_returnsEnglishConstant() {
    assertThat(ChurnSegment.of("Ilık")).isSameAs(ChurnSegment.WARM);
    assertThat(ChurnSegment.WARM.name()).isEqualTo("WARM");
    assertThat(ChurnSegment.WARM.wireValue()).isEqualTo("Ilık");
    assertThat(LoyaltyTier.of("Gümüş")).isSameAs(LoyaltyTier.SILVER);
    assertThat(DiversityProfile.of("Kaşif")).isSameAs(DiversityProfile.EXPLORER);
    assertThat(AgeSegment.of("55+")).isSameAs(AgeSegment.AGE_55_PLUS);
  }

  @Test
  void of_unknownValue_keepsItUntouched() {
    LoyaltyTier diamond = LoyaltyTier.of("Elmas");
    assertThat(diamond.isKnown()).isFalse();
    assertThat(diamond.name()).isEqualTo("Elmas");
    assertThat(diamond.wireValue()).isEqualTo("Elmas");
    assertThat(diamond).isEqualTo(new LoyaltyTier("Elmas"));
  }

  @Test
  void of_differentlyCasedOrAsciiFoldedValue_isNotConfusedWithConstant() {
    assertThat(ChurnSegment.of("Ilik").isKnown()).isFalse();
    assertThat(ChurnSegment.of("riskli").isKnown()).isFalse();
  }

  @Test
  void json_unknownAndKnownLabels_roundTripUntouched() throws Exception {
    String json =
        "{\"churnSegment\":\"Uyuyan\",\"loyaltyTier\":\"Altın\",\"affinityType\":\"Mixed\","
            + "\"missingRegulars\":[]}";
    SegmentAnalysis a = Json.MAPPER.readValue(json, SegmentAnalysis.class);
    assertThat(a.loyaltyTier()).isSameAs(LoyaltyTier.GOLD);
    assertThat(a.churnSegment().wireValue()).isEqualTo("Uyuyan");
    assertThat(Json.MAPPER.readTree(a.toJson())).isEqualTo(Json.MAPPER.readTree(json));
  }

  @Test
  void knownValues_listConstantsInDeclarationOrder() {
    assertThat(ChurnSegment.knownValues())
        .containsExactly(
            ChurnSegment.NEW,
            ChurnSegment.ACTIVE,
            ChurnSegment.WARM,
            ChurnSegment.AT_RISK,
            ChurnSegment.LOST);
    assertThat(ValueSegment.knownValues())
        .extracting(SegmentLabel::wireValue)
        .isEqualTo(List.of("HighValue", "MediumValue", "LowValue", "New"));
  }
}
