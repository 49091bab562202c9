package dev.opagent.bench;

import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.condition.Condition;
import dev.opagent.rules.condition.ConditionCompiler;
import dev.opagent.rules.condition.ConditionSet;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.drools.model.codegen.ExecutableModelProject;
import org.jeasy.rules.api.Facts;
import org.jeasy.rules.api.Rules;
import org.jeasy.rules.api.RulesEngine;
import org.jeasy.rules.core.DefaultRulesEngine;
import org.jeasy.rules.core.RuleBuilder;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.runtime.StatelessKieSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 5: the same R rules of four conditions over the same 1,024 profiles, evaluated by
 * opagent's compiled conditions, hand-written Java, Easy Rules and Drools (a stateless session per
 * profile, and one stateless execution over all 1,024 profiles). One operation is one profile
 * evaluated against all R rules. Setup checks that every contender counts the same matches. Not
 * thread-safe state: JMH runs it on one thread.
 *
 * <pre>
 * java -cp CLASSPATH org.openjdk.jmh.Main RulesBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RulesBenchmark {
  /** Profiles per invocation. */
  public static final int PROFILES = 1024;

  @Param({"1", "10", "100"})
  public int rules;

  private List<RulesWorkload.Spec> specs;
  private Profile[] profiles;
  private Attributes[] documents;
  private Attributes[] typed;
  private Condition[] conditions;
  private ConditionSet conditionSet;
  private BitSet matched;
  private ConditionSet.Scratch scratch;
  private Rules easyRules;
  private RulesEngine easyEngine;
  private Facts facts;
  private MatchCounter counter;
  private StatelessKieSession drools;
  private List<Profile> profileList;

  @Setup
  public void setUp() {
    specs = RulesWorkload.rules(rules, 7);
    profileList = RulesWorkload.profiles(PROFILES, 11);
    profiles = profileList.toArray(new Profile[0]);
    documents =
        profileList.stream().map(p -> MapAttributes.of(p.asDocument())).toArray(Attributes[]::new);
    typed = profileList.stream().map(RulesBenchmark::typedView).toArray(Attributes[]::new);
    ConditionCompiler compiler = ConditionCompiler.ofDefaults();
    conditions =
        specs.stream().map(s -> compiler.compile(s.conditionJson())).toArray(Condition[]::new);
    conditionSet = ConditionSet.of(List.of(conditions));
    matched = new BitSet(conditions.length);
    scratch = conditionSet.newScratch();

    counter = new MatchCounter();
    easyRules = new Rules();
    for (RulesWorkload.Spec s : specs) {
      easyRules.register(
          new RuleBuilder()
              .name("r" + s.id())
              .priority(s.id())
              .when(f -> s.test(f.get("profile")))
              .then(f -> counter.increment())
              .build());
    }
    easyEngine = new DefaultRulesEngine();
    facts = new Facts();

    drools = droolsSession(RulesWorkload.drl(specs));
    drools.setGlobal("matches", counter);

    int expected = handWritten();
    check("opagent", opagent(), expected);
    check("opagent typed", opagentTyped(), expected);
    check("easy rules", easyRules(), expected);
    check("drools stateless", droolsStateless(), expected);
    check("drools batch", droolsBatch(), expected);
    if (expected == 0) {
      throw new IllegalStateException(
          "the workload matches nothing: every contender would agree" + " trivially");
    }
  }

  private static void check(String who, int got, int expected) {
    if (got != expected) {
      throw new IllegalStateException(
          who + " counted " + got + " matches but hand-written Java " + "counted " + expected);
    }
  }

  static StatelessKieSession droolsSession(String drl) {
    KieServices ks = KieServices.Factory.get();
    KieFileSystem kfs = ks.newKieFileSystem();
    kfs.write("src/main/resources/dev/opagent/bench/drl/rules.drl", drl);
    // The executable model (drools-model-codegen, part of drools-engine) compiles the DRL to Java;
    // the MVEL-interpreted path would need drools-mvel as well.
    KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
    if (builder.getResults().hasMessages(Message.Level.ERROR)) {
      throw new IllegalStateException("Drools rejected the rules: " + builder.getResults());
    }
    KieBase base = ks.newKieContainer(ks.getRepository().getDefaultReleaseId()).getKieBase();
    return base.newStatelessKieSession();
  }

  /** The limit: the rules as plain Java over the typed profile. */
  @Benchmark
  @OperationsPerInvocation(PROFILES)
  public int handWritten() {
    int matches = 0;
    List<RulesWorkload.Spec> rs = specs;
    for (Profile p : profiles) {
      for (int i = 0; i < rs.size(); i++) {
        if (rs.get(i).test(p)) {
          matches++;
        }
      }
    }
    return matches;
  }

  /**
   * opagent: the R compiled conditions as one {@link ConditionSet} (each attribute read once per
   * profile, equality-indexed) over each profile's nested attribute map, with the caller's scratch
   * kept across evaluations as the set's documentation shows.
   */
  @Benchmark
  @OperationsPerInvocation(PROFILES)
  public int opagent() {
    int matches = 0;
    for (Attributes a : documents) {
      matches += conditionSet.test(a, matched, scratch);
    }
    return matches;
  }

  /**
   * The host's own {@link Attributes} over the typed profile, as the SPI's documentation shows:
   * paths recognised by identity, numbers read unboxed.
   */
  static Attributes typedView(Profile p) {
    return new TypedProfile(p);
  }

  /** The pattern {@link Attributes}' documentation recommends. Immutable and thread-safe. */
  static final class TypedProfile implements Attributes {
    static final AttributePath CHURN_SEGMENT = AttributePath.of("segments.churnSegment");
    static final AttributePath LOYALTY_TIER = AttributePath.of("segments.loyaltyTier");
    static final AttributePath AGE = AttributePath.of("customer.age");
    static final AttributePath DAYS_SINCE_LAST_PURCHASE =
        AttributePath.of("derived.daysSinceLastPurchase");
    static final AttributePath PURCHASE_STAGE = AttributePath.of("attributes.purchase_stage");

    private final Profile p;

    TypedProfile(Profile p) {
      this.p = p;
    }

    @Override
    public Object get(AttributePath path) {
      if (path == CHURN_SEGMENT) {
        return p.getChurnSegment();
      }
      if (path == LOYALTY_TIER) {
        return p.getLoyaltyTier();
      }
      if (path == AGE) {
        return p.getAge();
      }
      if (path == DAYS_SINCE_LAST_PURCHASE) {
        return p.getDaysSinceLastPurchase();
      }
      if (path == PURCHASE_STAGE) {
        return p.getPurchaseStage();
      }
      return Attributes.ABSENT;
    }

    @Override
    public double getDouble(AttributePath path) {
      if (path == AGE) {
        return p.getAge();
      }
      if (path == DAYS_SINCE_LAST_PURCHASE) {
        return p.getDaysSinceLastPurchase();
      }
      return Attributes.super.getDouble(path);
    }
  }

  /**
   * opagent: the same {@link ConditionSet} over a typed {@link Attributes} view of each profile.
   */
  @Benchmark
  @OperationsPerInvocation(PROFILES)
  public int opagentTyped() {
    int matches = 0;
    for (Attributes a : typed) {
      matches += conditionSet.test(a, matched, scratch);
    }
    return matches;
  }

  /** Easy Rules: the same Java conditions registered as rules, fired once per profile. */
  @Benchmark
  @OperationsPerInvocation(PROFILES)
  public int easyRules() {
    counter.reset();
    for (Profile p : profiles) {
      facts.put("profile", p);
      easyEngine.fire(easyRules, facts);
    }
    return counter.count();
  }

  /** Drools: one stateless execution per profile. */
  @Benchmark
  @OperationsPerInvocation(PROFILES)
  public int droolsStateless() {
    counter.reset();
    for (Profile p : profiles) {
      drools.execute(p);
    }
    return counter.count();
  }

  /** Drools: one stateless execution inserting all 1,024 profiles. */
  @Benchmark
  @OperationsPerInvocation(PROFILES)
  public int droolsBatch() {
    counter.reset();
    drools.execute(profileList);
    return counter.count();
  }
}
