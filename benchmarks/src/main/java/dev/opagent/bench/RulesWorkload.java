package dev.opagent.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The rules benchmark's data: 1,024 seeded profiles and R rules of four conditions each, in two
 * shapes that between them use every operator ({@code $eq}, {@code $in}, {@code $gt}, {@code $lt})
 * and every attribute. Every contender is generated from the same {@link Spec}s, so they all
 * evaluate exactly the same rules. Immutable and thread-safe.
 */
final class RulesWorkload {
  static final String[] CHURN = {"Yeni", "Aktif", "Ilık", "Riskli", "Kayıp"};
  static final String[] TIERS = {"Platin", "Altın", "Gümüş", "Bronz"};
  static final String[] STAGES = {"browsing", "cart", "checkout", "repeat"};

  /**
   * One rule. Shape A: {@code churnSegment == s1 && loyaltyTier in (s2, s3) && age > n1 &&
   * daysSinceLastPurchase < n2}. Shape B: {@code purchase_stage == s1 && churnSegment in (s2, s3)
   * && daysSinceLastPurchase > n2 && age < n1}.
   */
  record Spec(int id, boolean shapeA, String s1, String s2, String s3, int n1, int n2) {

    /** The hand-written test: what a developer writes for this rule in plain Java. */
    boolean test(Profile p) {
      if (shapeA) {
        return p.getChurnSegment().equals(s1)
            && (p.getLoyaltyTier().equals(s2) || p.getLoyaltyTier().equals(s3))
            && p.getAge() > n1
            && p.getDaysSinceLastPurchase() < n2;
      }
      return p.getPurchaseStage().equals(s1)
          && (p.getChurnSegment().equals(s2) || p.getChurnSegment().equals(s3))
          && p.getDaysSinceLastPurchase() > n2
          && p.getAge() < n1;
    }

    /** The rule as a campaign-rules condition. */
    String conditionJson() {
      if (shapeA) {
        return String.format(
            Locale.ROOT,
            "{\"segments.churnSegment\": {\"$eq\": \"%s\"}, "
                + "\"segments.loyaltyTier\": {\"$in\": [\"%s\", \"%s\"]}, "
                + "\"customer.age\": {\"$gt\": %d}, "
                + "\"derived.daysSinceLastPurchase\": {\"$lt\": %d}}",
            s1,
            s2,
            s3,
            n1,
            n2);
      }
      return String.format(
          Locale.ROOT,
          "{\"attributes.purchase_stage\": {\"$eq\": \"%s\"}, "
              + "\"segments.churnSegment\": {\"$in\": [\"%s\", \"%s\"]}, "
              + "\"derived.daysSinceLastPurchase\": {\"$gt\": %d}, "
              + "\"customer.age\": {\"$lt\": %d}}",
          s1,
          s2,
          s3,
          n2,
          n1);
    }

    /** The rule in Drools' rule language; its consequence counts the match. */
    String drl() {
      String pattern =
          shapeA
              ? String.format(
                  Locale.ROOT,
                  "churnSegment == \"%s\", loyaltyTier in (\"%s\", \"%s\"),"
                      + " age > %d, daysSinceLastPurchase < %d",
                  s1,
                  s2,
                  s3,
                  n1,
                  n2)
              : String.format(
                  Locale.ROOT,
                  "purchaseStage == \"%s\", churnSegment in (\"%s\", \"%s\"),"
                      + " daysSinceLastPurchase > %d, age < %d",
                  s1,
                  s2,
                  s3,
                  n2,
                  n1);
      return "rule \"r"
          + id
          + "\"\nwhen\n  Profile("
          + pattern
          + ")\nthen\n  matches.increment();\nend\n";
    }
  }

  private RulesWorkload() {}

  /** {@code count} profiles drawn from {@code seed}. */
  static List<Profile> profiles(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Profile> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(
          new Profile(
              CHURN[r.nextInt(CHURN.length)],
              TIERS[r.nextInt(TIERS.length)],
              18 + r.nextInt(60),
              r.nextInt(365),
              STAGES[r.nextInt(STAGES.length)]));
    }
    return out;
  }

  /** {@code count} rules drawn from {@code seed}, alternating shapes A and B. */
  static List<Spec> rules(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Spec> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (i % 2 == 0) {
        int t = r.nextInt(TIERS.length);
        out.add(
            new Spec(
                i,
                true,
                CHURN[r.nextInt(CHURN.length)],
                TIERS[t],
                TIERS[(t + 1 + r.nextInt(TIERS.length - 1)) % TIERS.length],
                18 + r.nextInt(40),
                30 + r.nextInt(300)));
      } else {
        int c = r.nextInt(CHURN.length);
        out.add(
            new Spec(
                i,
                false,
                STAGES[r.nextInt(STAGES.length)],
                CHURN[c],
                CHURN[(c + 1 + r.nextInt(CHURN.length - 1)) % CHURN.length],
                30 + r.nextInt(48),
                r.nextInt(300)));
      }
    }
    return out;
  }

  /** A DRL package holding {@code rules}, counting matches in the global {@code matches}. */
  static String drl(List<Spec> rules) {
    StringBuilder sb =
        new StringBuilder("package dev.opagent.bench.drl;\n\n")
            .append("import ")
            .append(Profile.class.getName())
            .append(";\n")
            .append("global ")
            .append(MatchCounter.class.getName())
            .append(" matches;\n\n");
    rules.forEach(rule -> sb.append(rule.drl()).append('\n'));
    return sb.toString();
  }
}
