package dev.opagent.bench;

import java.util.Map;

/**
 * One customer profile of the rules benchmark, as a JavaBean so that every engine can read it:
 * Drools patterns and Easy Rules conditions use the getters, opagent reads {@link #asDocument()}.
 * Immutable and thread-safe.
 */
public final class Profile {
  private final String churnSegment;
  private final String loyaltyTier;
  private final int age;
  private final int daysSinceLastPurchase;
  private final String purchaseStage;

  public Profile(
      String churnSegment,
      String loyaltyTier,
      int age,
      int daysSinceLastPurchase,
      String purchaseStage) {
    this.churnSegment = churnSegment;
    this.loyaltyTier = loyaltyTier;
    this.age = age;
    this.daysSinceLastPurchase = daysSinceLastPurchase;
    this.purchaseStage = purchaseStage;
  }

  public String getChurnSegment() {
    return churnSegment;
  }

  public String getLoyaltyTier() {
    return loyaltyTier;
  }

  public int getAge() {
    return age;
  }

  public int getDaysSinceLastPurchase() {
    return daysSinceLastPurchase;
  }

  public String getPurchaseStage() {
    return purchaseStage;
  }

  /** The profile as the nested JSON-like document campaign rules read. */
  public Map<String, Object> asDocument() {
    return Map.of(
        "segments", Map.of("churnSegment", churnSegment, "loyaltyTier", loyaltyTier),
        "customer", Map.of("age", age),
        "derived", Map.of("daysSinceLastPurchase", daysSinceLastPurchase),
        "attributes", Map.of("purchase_stage", purchaseStage));
  }
}
