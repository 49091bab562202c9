package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.engine.InMemoryContactHistory;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.experiment.Allocation;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.experiment.ExperimentAssigner;
import dev.opagent.agent.experiment.IncrementalAnalysis;
import dev.opagent.agent.experiment.ThompsonSampler;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.Contact;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.spi.StickyAssignmentStore;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.store.FeedbackStore;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.MutableClock;
import dev.opagent.testkit.SimulatedResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/**
 * The demo's operation loop: rounds of {@link OperationAgent} on consecutive simulated days under a
 * policy that exercises every guardrail, delivery to a JSON-lines file on an H2 journal, a human
 * approving the deferred discount after the first round, simulated customer responses, an A/B test
 * per campaign whose traffic a Thompson sampler shifts, and the summary's loop sections.
 */
final class DemoLoop {
  private static final String APPROVER = "marketing-manager";

  /**
   * Remembers nothing, so each send follows the current weights: the bandit moves traffic on the
   * demo's fixed population (a host with new customers every day would keep assignments sticky).
   */
  private static final StickyAssignmentStore PER_SEND =
      new StickyAssignmentStore() {
        @Override
        public java.util.Optional<String> get(String experimentKey, String unitId) {
          return java.util.Optional.empty();
        }

        @Override
        public void put(String experimentKey, String unitId, String variantKey) {}
      };

  /**
   * Deliveries each arm of a demo experiment needs before it is judged and before the bandit moves
   * traffic. With conversion rates of 4 to 11%, 300 deliveries give an arm a few dozen conversions;
   * fewer let a lucky first round look like a winner. The default run (2,000 customers, 5 rounds)
   * reaches it only in its largest campaigns, so most experiments keep the equal split and say
   * "keep testing", which is what their data support.
   */
  static final long MIN_SAMPLE_PER_ARM = 300;

  /** The share of matching customers who order on a given day without any message, per campaign. */
  private static final double ORGANIC_SHARE_OF_BASE = 0.2;

  private final SegmentClient client;
  private final RuleSet rules;
  private final List<CustomerData> customers;
  private final Map<String, List<String>> matched;
  private final LocalDate asOf;
  private final long seed;
  private final Path out;
  private final int rounds;
  private final PrintWriter stdout;
  private final MutableClock clock;
  private final StoreOptions store;
  private final CommandLine cmd;

  DemoLoop(
      SegmentClient client,
      RuleSet rules,
      List<CustomerData> customers,
      Map<String, List<String>> matched,
      LocalDate asOf,
      long seed,
      Path out,
      int rounds,
      PrintWriter stdout,
      StoreOptions store,
      CommandLine cmd) {
    this.store = store;
    this.cmd = cmd;
    this.client = client;
    this.rules = rules;
    this.customers = customers;
    this.matched = matched;
    this.asOf = asOf;
    this.seed = seed;
    this.out = out;
    this.rounds = rounds;
    this.stdout = stdout;
    this.clock = MutableClock.at(asOf.atTime(LocalTime.of(10, 0)).toInstant(ZoneOffset.UTC));
  }

  /** Runs the rounds and adds decisions, experiments, bandit, ROI and rounds to {@code json}. */
  void run(ObjectNode json) throws IOException {
    DecisionPolicy policy = demoPolicy();
    InMemoryContactHistory history = new InMemoryContactHistory();
    seedHistory(history);
    FeedbackLoop feedback = FeedbackLoop.builder().clock(clock).build();
    Path actions = out.resolve("actions.jsonl");
    clean(actions);
    boolean own = StoreOptions.DEFAULT_URL.equals(store.url);
    if (own) {
      store.url = "jdbc:h2:file:" + out.resolve("store").toAbsolutePath();
    }
    // The demo's own store starts empty; a store of the user's keeps what earlier runs did.
    String runs =
        own
            ? "demo-" + seed + "-" + asOf
            : "demo-" + seed + "-" + asOf + "-" + System.currentTimeMillis();
    OperatingStore opened = store.open(cmd);
    Map<String, Experiment> experiments = new LinkedHashMap<>();
    Map<String, ExperimentAssigner> assigners = new LinkedHashMap<>();
    Map<String, ThompsonSampler> samplers = new LinkedHashMap<>();
    for (String campaign : rules.ids()) {
      Experiment e =
          Experiment.builder(campaign + "-message")
              .campaign(campaign)
              .variant("control", 0.5)
              .variant("B", 0.5)
              .minSamplePerArm(MIN_SAMPLE_PER_ARM)
              .build();
      experiments.put(campaign, e);
      assigners.put(campaign, ExperimentAssigner.create(e, PER_SEND));
      samplers.put(campaign, ThompsonSampler.builder(e).seed(seed).clock(clock).build());
    }
    DecisionTally tally = new DecisionTally();
    Map<String, Long> byChannel = new TreeMap<>();
    ArrayNode roundsJson = JsonLines.MAPPER.createArrayNode();
    Map<String, ArrayNode> banditRounds = new LinkedHashMap<>();
    Map<String, Map<String, Double>> weights = new LinkedHashMap<>();
    Map<String, Map<String, Double>> expected = new LinkedHashMap<>();
    experiments.forEach((c, e) -> weights.put(c, Map.of("control", 0.5, "B", 0.5)));
    CampaignOutcomes outcomes = new CampaignOutcomes(policy.globalHoldout(), matched, "control");
    // Approvals live in the store: the simulated manager grants them there, as 'opagent
    // approvals approve' would from another process.
    try (opened;
        OperationAgent agent =
            OperationAgent.builder()
                .segmentClient(client)
                .rules(rules)
                .clock(clock)
                .decisionEngine(
                    e ->
                        e.policy(policy)
                            .contactHistory(history)
                            .conversionRates(feedback)
                            .approvalGate(opened.approvalGate(clock)))
                .executionService(
                    s ->
                        s.journal(opened.journal())
                            .journalIsLedger(true)
                            .channels(
                                ChannelRegistry.builder()
                                    .register(
                                        JsonLinesChannel.builder(actions).clock(clock).build())
                                    .fallback("jsonl")
                                    .build())
                            .keys(IdempotencyKeys.daily(ZoneOffset.UTC))
                            .defaultLimits(ChannelLimits.of(8))
                            .listener(feedback))
                .operatingState(opened.operatingState())
                .segmentStore(opened.segmentStore())
                .context(
                    (data, analysis, ctx) -> {
                      long h = hash(data.customerId());
                      ctx.consents(consents(h));
                      if (h % 4 == 0) {
                        ctx.zone(ZoneId.of("Asia/Tokyo")); // 10:00 UTC is 19:00 there: quiet hours
                      }
                    })
                .variants(
                    (customerId, campaign) -> {
                      ExperimentAssigner a = assigners.get(campaign);
                      return a == null ? null : a.assign(customerId);
                    })
                .build()) {
      stdout.println();
      stdout.printf(
          "Operation loop: %d rounds on consecutive days, actions to %s%n", rounds, actions);
      for (int r = 1; r <= rounds; r++) {
        clock.set(asOf.plusDays(r - 1L).atTime(LocalTime.of(10, 0)).toInstant(ZoneOffset.UTC));
        RoundReport report = agent.runRound(runs + "-" + r, customers);
        report.execution().completedByChannel().forEach((k, v) -> byChannel.merge(k, v, Long::sum));
        List<ExecutionRecord> records = opened.journal().records(report.runId());
        tally.add(r, asOf.plusDays(r - 1L), report, records);
        expect(records, weights, expected);
        long[] responses = respond(records, feedback, opened.feedback(), outcomes);
        long[] organic = organic(r, feedback, opened.feedback(), outcomes);
        responses[0] += organic[0];
        responses[1] += organic[1];
        for (Map.Entry<String, ThompsonSampler> s : samplers.entrySet()) {
          Allocation a = s.getValue().allocate(feedback.metrics());
          opened.feedback().recordAllocation(experiments.get(s.getKey()), a);
          assigners.get(s.getKey()).apply(a);
          weights.put(s.getKey(), a.weights());
          ObjectNode o =
              banditRounds
                  .computeIfAbsent(s.getKey(), k -> JsonLines.MAPPER.createArrayNode())
                  .addObject();
          o.put("round", r).put("exploring", a.isExploring());
          ObjectNode w = o.putObject("weights");
          a.weights().forEach(w::put);
          ObjectNode p = o.putObject("probabilityBest");
          a.probabilityBest().forEach(p::put);
        }
        roundsJson
            .addObject()
            .put("round", r)
            .put("executed", report.execution().completed())
            .put("conversions", responses[0])
            .put("revenue", responses[1] / 100.0);
        stdout.printf(
            "  round %d (%s): %d actions chosen, %d delivered, %d deferred, %d not"
                + " chosen; %d conversions%n",
            r,
            asOf.plusDays(r - 1L),
            report.chosen(),
            report.execution().completed(),
            report.deferred(),
            report.blocked() + report.suppressed(),
            responses[0]);
        if (r == 1) {
          approvePending(agent.decisionEngine().approvalGate());
        }
      }
    }
    json.put("currency", policy.budgets().currency().getCurrencyCode());
    tally.write(json.putObject("decisions"));
    ObjectNode channels = json.putObject("executionsByChannel");
    byChannel.forEach(channels::put);
    experiments(json, experiments, expected, feedback, outcomes, policy);
    ArrayNode bandit = json.putArray("bandit");
    banditRounds.forEach(
        (campaign, list) ->
            bandit
                .addObject()
                .put("campaign", campaign)
                .put("experiment", experiments.get(campaign).id())
                .set("rounds", list));
    StoreSummary.metrics(json.putObject("metrics"), feedback.metrics());
    StoreSummary.roi(json.putObject("roi"), feedback.metrics());
    json.set("rounds", roundsJson);
    json.put("actionsFile", actions.toString());
  }

  private static DecisionPolicy demoPolicy() throws IOException {
    try (InputStream in = DemoLoop.class.getResourceAsStream("demo-policy.json")) {
      if (in == null) {
        throw new IllegalStateException("demo-policy.json is missing from the jar");
      }
      return DecisionPolicy.fromJson(
          "demo-policy.json", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** One customer in ten got an email yesterday: the email frequency cap applies to them. */
  private void seedHistory(InMemoryContactHistory history) {
    Instant yesterday = clock.instant().minus(Duration.ofDays(1));
    for (CustomerData c : customers) {
      if (hash(c.customerId()) % 10 == 3) {
        history.record(
            c.customerId(), Contact.of(Channel.EMAIL, yesterday, "newsletter", "send_email"));
      }
    }
  }

  /** 85% opted in to email, 40% to SMS, 60% to in-app messages. */
  private static List<Channel> consents(long h) {
    List<Channel> c = new java.util.ArrayList<>();
    if (h % 100 < 85) {
      c.add(Channel.EMAIL);
    }
    if ((h / 100) % 100 < 40) {
      c.add(Channel.SMS);
    }
    if ((h / 10_000) % 100 < 60) {
      c.add(Channel.IN_APP);
    }
    return c;
  }

  /** The control's true conversion rate per delivery in {@code campaign}: 4 to 6%. */
  private static double baseRate(String campaign) {
    return 0.04 + 0.01 * Math.floorMod(campaign.hashCode(), 3);
  }

  /** True conversion rate of a campaign's variant: B is better in every other campaign. */
  private double trueRate(String campaign, String variant) {
    double base = baseRate(campaign);
    boolean better = Math.floorMod(campaign.hashCode(), 2) == 0;
    return "B".equals(variant) && better ? base * 1.8 : base;
  }

  /**
   * Simulated responses to a round's deliveries, recorded in {@code feedback} and ingested into the
   * store's {@code stored} feedback; returns conversions and revenue in cents.
   */
  private long[] respond(
      List<ExecutionRecord> records,
      FeedbackLoop feedback,
      FeedbackStore stored,
      CampaignOutcomes outcomes) {
    for (ExecutionRecord r : records) {
      if (r.state() == ExecutionState.COMPLETED) {
        outcomes.delivered(
            r.request().campaign(),
            r.request().customerId(),
            r.request().variant(),
            r.request().cost());
      }
    }
    SimulatedResponses customers =
        SimulatedResponses.builder()
            .seed(seed)
            .openRate(0.45)
            .clickRate(0.35)
            .conversionRate(
                q -> trueRate(q.campaign(), q.variant() == null ? "control" : q.variant()))
            .revenue(new BigDecimal("40.00"), new BigDecimal("199.99"))
            .build();
    long conversions = 0;
    long cents = 0;
    List<Interaction> responses = customers.respond(records);
    stored.ingest(responses);
    for (Interaction i : responses) {
      feedback.record(i);
      if (i.type() == InteractionType.CONVERTED && i.revenue() != null) {
        outcomes.ordered(i.campaign(), i.customerId(), i.revenue());
        conversions++;
        cents += i.revenue().movePointRight(2).longValue();
      }
    }
    return new long[] {conversions, cents};
  }

  /**
   * Orders placed without any message: on each simulated day every customer who matched a campaign
   * at segmentation buys its product with a fifth of the campaign's base conversion rate, whether
   * treated, held out or neither. Attribution credits an order to the campaign's latest delivery
   * within the window (last touch), as a shop would, so gross figures include orders the campaign
   * did not cause; the holdout's orders show how many. Returns the attributed conversions and their
   * revenue in cents.
   */
  private long[] organic(
      int round, FeedbackLoop feedback, FeedbackStore stored, CampaignOutcomes outcomes) {
    Instant at = asOf.plusDays(round - 1L).atTime(LocalTime.of(18, 0)).toInstant(ZoneOffset.UTC);
    List<Interaction> orders = new ArrayList<>();
    long conversions = 0;
    long cents = 0;
    for (CustomerData c : customers) {
      for (String campaign : outcomes.matched(c.customerId())) {
        java.util.SplittableRandom rnd =
            new java.util.SplittableRandom(
                seed ^ hash(c.customerId() + "/" + campaign) ^ (round * 0x9E3779B97F4A7C15L));
        if (rnd.nextDouble() >= ORGANIC_SHARE_OF_BASE * baseRate(campaign)) {
          continue;
        }
        BigDecimal revenue = BigDecimal.valueOf(4000 + rnd.nextLong(16_000), 2);
        outcomes.ordered(campaign, c.customerId(), revenue);
        Interaction order = Interaction.conversion(c.customerId(), campaign, at, revenue);
        orders.add(order);
        if (feedback.record(order).isAttributed()) {
          conversions++;
          cents += revenue.movePointRight(2).longValue();
        }
      }
    }
    stored.ingest(orders);
    return new long[] {conversions, cents};
  }

  /** A marketing manager reviews the discount the first round deferred, and approves it. */
  private void approvePending(ApprovalGate gate) {
    for (String campaign : rules.ids()) {
      gate.latest(ApprovalKey.campaign(campaign))
          .filter(r -> r.status() == ApprovalStatus.PENDING)
          .map(ApprovalRequest::id)
          .ifPresent(
              id -> {
                gate.grant(id, APPROVER, "reviewed the offer and the expected spend");
                stdout.printf("  %s approved campaign %s (request %s)%n", APPROVER, campaign, id);
              });
    }
  }

  /**
   * Adds to each campaign's expected deliveries per variant the round's deliveries times the
   * weights they were assigned under, so the sample-ratio check compares against the traffic split
   * the bandit actually set, not the initial one.
   */
  private static void expect(
      List<ExecutionRecord> records,
      Map<String, Map<String, Double>> weights,
      Map<String, Map<String, Double>> expected) {
    Map<String, Long> delivered = new TreeMap<>();
    for (ExecutionRecord r : records) {
      if (r.state() == ExecutionState.COMPLETED && r.request().variant() != null) {
        delivered.merge(r.request().campaign(), 1L, Long::sum);
      }
    }
    delivered.forEach(
        (campaign, n) ->
            weights
                .getOrDefault(campaign, Map.of())
                .forEach(
                    (v, w) ->
                        expected
                            .computeIfAbsent(campaign, k -> new LinkedHashMap<>())
                            .merge(v, w * n, Double::sum)));
  }

  private static void experiments(
      ObjectNode json,
      Map<String, Experiment> experiments,
      Map<String, Map<String, Double>> expected,
      FeedbackLoop feedback,
      CampaignOutcomes outcomes,
      DecisionPolicy policy) {
    ArrayNode list = json.putArray("experiments");
    IncrementalAnalysis incremental = IncrementalAnalysis.ofDefaults();
    String holdoutKey = policy.globalHoldout() == null ? "(none)" : policy.globalHoldout().key();
    List<CampaignOutcomes.Comparisons> all = new java.util.ArrayList<>();
    for (Experiment configured : experiments.values()) {
      Map<String, Double> mass = expected.get(configured.campaign());
      if (mass == null) {
        continue;
      }
      Experiment.Builder b =
          Experiment.builder(configured.id())
              .campaign(configured.campaign())
              .minSamplePerArm(configured.minSamplePerArm());
      double total = mass.values().stream().mapToDouble(Double::doubleValue).sum();
      mass.forEach((v, m) -> b.variant(v, m / total));
      ObjectNode entry =
          StoreSummary.experiment(list, b.control("control").build(), feedback.metrics(), true);
      CampaignOutcomes.Comparisons c = outcomes.comparisons(configured.campaign(), incremental);
      all.add(c);
      if (entry != null) {
        entry.put("minSamplePerArm", configured.minSamplePerArm());
        CampaignOutcomes.json(entry.putObject("incremental"), c, holdoutKey);
      }
    }
    ObjectNode overall = json.putObject("incremental");
    overall.put(
        "method",
        "per customer over the run; 95% normal intervals, Welch's unpooled standard error on"
            + " revenue per customer; campaigns combined as strata");
    CampaignOutcomes.json(
        overall.putObject("overall"), CampaignOutcomes.combine(all, incremental), holdoutKey);
  }

  private static long hash(String s) {
    long h = 1125899906842597L;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h & Long.MAX_VALUE;
  }

  /** Starts from nothing: a previous demo's actions and store in the same directory go. */
  private void clean(Path actions) throws IOException {
    Files.deleteIfExists(actions);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(out, "{journal,store}.*")) {
      for (Path p : old) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
