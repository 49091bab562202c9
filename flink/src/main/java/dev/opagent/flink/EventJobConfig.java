package dev.opagent.flink;

import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.InvalidPolicyException;
import dev.opagent.rules.LoadResult;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.problem.Problem;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the event job's operators build their parts from, in each subtask's {@code open()}: the
 * rules and policy (their text, read once where the job is built, so task managers need no copy of
 * the files), the operating store, the channels, the consents assumed, the initial customers, the
 * segment agent and its quota, and how time is kept. Immutable, serialisable and thread-safe; build
 * it with {@link #builder()}.
 *
 * <pre>{@code
 * EventJobConfig config = EventJobConfig.builder()
 *     .store("jdbc:postgresql://db/opagent", "opagent")   // password: $OPAGENT_STORE_PASSWORD
 *     .addChannel("webhook:https://hooks.example.com/opagent")
 *     .rules(Path.of("campaigns.json"))
 *     .agentArn("arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/segment_agent-abc")
 *     .build();
 * }</pre>
 *
 * @param rulesName where the rules came from, for messages
 * @param rulesJson the campaign rules; null for the bundled ones
 * @param policyJson the decision policy; null for the default one
 * @param storeUrl the operating store's JDBC URL
 * @param storeUser the store's database user (the password is read from {@code
 *     $OPAGENT_STORE_PASSWORD} where the operators run)
 * @param channels the channel specs: {@code jsonl:PATH}, {@code webhook:URL} or {@code log}; the
 *     first is the default
 * @param consents the channel ids customers are assumed to have consented to when their data has no
 *     {@code consent} array
 * @param customersFile a file of JSON lines of the customers' data before any event; null for none
 * @param agentArn the segment agent's runtime ARN; null for the reference segmenter in process
 * @param agentRegion the agent's AWS region; null for the ARN's
 * @param agentRequestsPerSecond the agent endpoint's request quota, shared out among the segment
 *     operator's subtasks; 0 for none
 * @param segmentCapacity the segment calls in flight per subtask
 * @param segmentTimeout how long an event waits for its analysis before it fails as timed out
 * @param clock whose time decisions, deliveries and timers follow
 * @param outOfOrderness how late an event may arrive behind a later one and still count as on time
 * @param sourceIdleness how long a parsing subtask without events is left out of the watermark;
 *     zero for never
 * @param customerStateTtl how long a customer's data and consents stay in keyed state after their
 *     last change
 * @param scheduleStateTtl how long a scheduled action's key stays in keyed state
 * @param sweepInterval on the wall clock, how often one subtask delivers whatever is due in the
 *     journal's events runs that no timer holds; zero for never
 */
public record EventJobConfig(
    String rulesName,
    @Nullable String rulesJson,
    @Nullable String policyJson,
    String storeUrl,
    String storeUser,
    List<String> channels,
    List<String> consents,
    @Nullable String customersFile,
    @Nullable String agentArn,
    @Nullable String agentRegion,
    double agentRequestsPerSecond,
    int segmentCapacity,
    Duration segmentTimeout,
    ClockMode clock,
    Duration outOfOrderness,
    Duration sourceIdleness,
    Duration customerStateTtl,
    Duration scheduleStateTtl,
    Duration sweepInterval)
    implements Serializable {

  /** The environment variable that holds the store's password where the operators run. */
  public static final String STORE_PASSWORD_ENV = "OPAGENT_STORE_PASSWORD";

  /** The environment variable that holds the webhook channel's signing secret. */
  public static final String WEBHOOK_SECRET_ENV = "OPAGENT_WEBHOOK_SECRET";

  /** Whose time the job keeps. */
  public enum ClockMode {
    /**
     * The wall clock: decisions, journal times and leases are now, and scheduled actions are
     * delivered on processing-time timers when they fall due. For production.
     */
    SYSTEM,
    /**
     * The events' own time: each event is decided at its {@code at}, each scheduled action is
     * delivered on an event-time timer at its planned time with the clock there, and leases follow
     * the same clock, so that a replay of a file decides the same way on every run and as {@code
     * EventProcessor} does in process with its clock following the events. For replays, tests and
     * back-fills.
     */
    EVENT_TIME
  }

  /** Checks the members and copies the lists. */
  public EventJobConfig {
    Objects.requireNonNull(rulesName, "rulesName");
    Objects.requireNonNull(storeUrl, "storeUrl");
    Objects.requireNonNull(storeUser, "storeUser");
    channels = List.copyOf(channels);
    consents = List.copyOf(consents);
    Objects.requireNonNull(segmentTimeout, "segmentTimeout");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(outOfOrderness, "outOfOrderness");
    Objects.requireNonNull(sourceIdleness, "sourceIdleness");
    Objects.requireNonNull(customerStateTtl, "customerStateTtl");
    Objects.requireNonNull(scheduleStateTtl, "scheduleStateTtl");
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("channels must name at least one channel");
    }
    for (String spec : channels) {
      requireChannelSpec(spec);
    }
    if (!(agentRequestsPerSecond >= 0) || Double.isInfinite(agentRequestsPerSecond)) {
      throw new IllegalArgumentException(
          "agentRequestsPerSecond must be zero or positive but was " + agentRequestsPerSecond);
    }
    if (segmentCapacity < 1) {
      throw new IllegalArgumentException(
          "segmentCapacity must be positive but was " + segmentCapacity);
    }
    requirePositive("segmentTimeout", segmentTimeout);
    requireNotNegative("outOfOrderness", outOfOrderness);
    requireNotNegative("sourceIdleness", sourceIdleness);
    requirePositive("customerStateTtl", customerStateTtl);
    requirePositive("scheduleStateTtl", scheduleStateTtl);
    requireNotNegative("sweepInterval", sweepInterval);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The campaign rules. */
  public RuleSet ruleSet() {
    return rulesJson == null ? RuleSetLoader.defaults() : rules(rulesName, rulesJson);
  }

  /** The decision policy. */
  public DecisionPolicy policy() {
    return policyJson == null
        ? DecisionPolicy.ofDefaults()
        : DecisionPolicy.fromJson("policy", policyJson);
  }

  private static RuleSet rules(String name, String json) {
    LoadResult loaded = RuleSetLoader.ofDefaults().validate(RuleSource.string(name, json));
    if (loaded instanceof LoadResult.Invalid invalid) {
      StringBuilder sb = new StringBuilder("the rules " + invalid.source() + " do not validate:");
      for (Problem p : invalid.problems()) {
        sb.append(System.lineSeparator()).append("  ").append(p);
      }
      throw new IllegalArgumentException(sb.toString());
    }
    return ((LoadResult.Loaded) loaded).ruleSet();
  }

  private static void requireChannelSpec(String spec) {
    Objects.requireNonNull(spec, "channel spec");
    boolean ok =
        spec.equals("log")
            || (spec.startsWith("jsonl:") && spec.length() > "jsonl:".length())
            || (spec.startsWith("webhook:") && spec.length() > "webhook:".length());
    if (!ok) {
      throw new IllegalArgumentException(
          "a channel is jsonl:PATH, webhook:URL or log, but one was '" + spec + "'");
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive but was " + d);
    }
  }

  private static void requireNotNegative(String name, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative but was " + d);
    }
  }

  /** Configures an {@link EventJobConfig}. Not thread-safe. */
  public static final class Builder {
    private String rulesName = "the bundled rules";
    private @Nullable String rulesJson;
    private @Nullable String policyJson;
    private @Nullable String storeUrl;
    private String storeUser = "sa";
    private final List<String> channels = new ArrayList<>();
    private final List<String> consents = new ArrayList<>();
    private @Nullable String customersFile;
    private @Nullable String agentArn;
    private @Nullable String agentRegion;
    private double agentRequestsPerSecond = 25;
    private int segmentCapacity = 100;
    private Duration segmentTimeout = Duration.ofMinutes(20);
    private ClockMode clock = ClockMode.SYSTEM;
    private Duration outOfOrderness = Duration.ofMinutes(1);
    private Duration sourceIdleness = Duration.ofMinutes(1);
    private Duration customerStateTtl = Duration.ofDays(90);
    private Duration scheduleStateTtl = Duration.ofDays(7);
    private Duration sweepInterval = Duration.ofMinutes(5);

    private Builder() {}

    private Builder(EventJobConfig c) {
      rulesName = c.rulesName;
      rulesJson = c.rulesJson;
      policyJson = c.policyJson;
      storeUrl = c.storeUrl;
      storeUser = c.storeUser;
      channels.addAll(c.channels);
      consents.addAll(c.consents);
      customersFile = c.customersFile;
      agentArn = c.agentArn;
      agentRegion = c.agentRegion;
      agentRequestsPerSecond = c.agentRequestsPerSecond;
      segmentCapacity = c.segmentCapacity;
      segmentTimeout = c.segmentTimeout;
      clock = c.clock;
      outOfOrderness = c.outOfOrderness;
      sourceIdleness = c.sourceIdleness;
      customerStateTtl = c.customerStateTtl;
      scheduleStateTtl = c.scheduleStateTtl;
      sweepInterval = c.sweepInterval;
    }

    /**
     * The campaign rules, read now (where the job is built) and checked. Default: the bundled
     * rules, among them {@code cart_recovery}.
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException listing the problems, if the rules do not validate
     */
    public Builder rules(Path file) {
      return rulesJson(file.toString(), read(file, "rules"));
    }

    /** The campaign rules as JSON text, checked now; {@code name} says where they came from. */
    public Builder rulesJson(String name, String json) {
      EventJobConfig.rules(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(json, "json"));
      this.rulesName = name;
      this.rulesJson = json;
      return this;
    }

    /**
     * The decision policy (caps, quiet hours, budgets, approvals), read now and checked. Default:
     * the bundled policy.
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws InvalidPolicyException if the policy does not validate
     */
    public Builder policy(Path file) {
      return policyJson(read(file, "policy"));
    }

    /** The decision policy as JSON text, checked now. */
    public Builder policyJson(String json) {
      DecisionPolicy.fromJson("policy", Objects.requireNonNull(json, "json"));
      this.policyJson = json;
      return this;
    }

    /**
     * The operating store: the journal, contacts, money and approvals every subtask decides
     * against, so that caps and budgets hold across subtasks, restarts and other processes. An
     * embedded H2 file ({@code jdbc:h2:file:…}) serves the subtasks of one task manager; a job on
     * several task managers needs PostgreSQL ({@code jdbc:postgresql:…}). The password is read from
     * {@code $OPAGENT_STORE_PASSWORD} where the operators run, never shipped with the job.
     * Required.
     */
    public Builder store(String jdbcUrl, String user) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "the store URL must start with jdbc:h2: or jdbc:postgresql:");
      }
      this.storeUrl = jdbcUrl;
      this.storeUser = Objects.requireNonNull(user, "user");
      return this;
    }

    /**
     * Adds a channel: {@code jsonl:PATH} (one durable line per action, never a key twice; the
     * subtasks of a task manager share the file), {@code webhook:URL} (signed with {@code
     * $OPAGENT_WEBHOOK_SECRET}; the receiver deduplicates by the {@code Idempotency-Key} header) or
     * {@code log} (a dry run). The first added is the default channel. At least one is required.
     */
    public Builder addChannel(String spec) {
      requireChannelSpec(spec);
      channels.add(spec);
      return this;
    }

    /**
     * Channel ids ({@code email}, {@code sms}, {@code push}, {@code in_app}, {@code phone}) that a
     * customer whose data has no {@code consent} array is assumed to have consented to. Default:
     * none, so such a customer is contacted on no channel.
     */
    public Builder consents(List<String> channelIds) {
      consents.clear();
      for (String id : channelIds) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        if (!s.isEmpty()) {
          consents.add(s);
        }
      }
      return this;
    }

    /**
     * A file of JSON lines of the customers' data before any event (bare or wrapped as {@code
     * {"customerData": …}}), read by each subtask for the customers it owns; each customer's data
     * then lives in keyed state, where purchases are added to it. It must be readable where the
     * operators run (a shared or copied path). Default: none, so events of customers not yet in
     * keyed state are decided as of an unknown customer.
     */
    public Builder customersFile(Path file) {
      this.customersFile = file.toAbsolutePath().normalize().toString();
      return this;
    }

    /**
     * The segment agent's runtime ARN on Amazon Bedrock AgentCore, reached with the AWS default
     * credentials of the task managers. Default: none, so the reference segmenter answers in
     * process (for tests, replays and demonstrations).
     */
    public Builder agentArn(String arn) {
      this.agentArn = Objects.requireNonNull(arn, "arn");
      return this;
    }

    /** The agent's AWS region. Default: the ARN's. */
    public Builder agentRegion(String region) {
      this.agentRegion = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * The agent endpoint's request quota (InvokeAgentRuntime allows 25 per second by default),
     * shared out evenly among the segment operator's subtasks, so that the job as a whole stays
     * within it. Zero for no known quota (the client then adapts to throttling alone). Applies to
     * an agent given by {@link #agentArn}; the reference segmenter in process has none. Default 25.
     */
    public Builder agentRequestsPerSecond(double requestsPerSecond) {
      this.agentRequestsPerSecond = requestsPerSecond;
      return this;
    }

    /**
     * Segment calls in flight per subtask of the segment operator: more overlap more of the agent's
     * latency, and each holds its event in the operator's checkpoints. Default 100.
     */
    public Builder segmentCapacity(int capacity) {
      this.segmentCapacity = capacity;
      return this;
    }

    /**
     * How long an event waits for its analysis (retries included) before it goes on as {@code
     * SEGMENTATION_FAILED} with {@code TIMEOUT}. Default 20 minutes, above the client's retries of
     * AgentCore's 15-minute synchronous limit.
     */
    public Builder segmentTimeout(Duration timeout) {
      this.segmentTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Whose time the job keeps; see {@link ClockMode}. Default {@link ClockMode#SYSTEM}. */
    public Builder clock(ClockMode clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How far behind the latest event an event may arrive and still count as on time: the watermark
     * trails the latest event time by this much. Longer holds event-time timers back longer;
     * shorter lets more events arrive after their time was passed (they are still decided, after
     * the customer's actions due by then were delivered). Default 1 minute.
     */
    public Builder outOfOrderness(Duration outOfOrderness) {
      this.outOfOrderness = Objects.requireNonNull(outOfOrderness, "outOfOrderness");
      return this;
    }

    /**
     * How long a parsing subtask that receives no events is left out of the watermark, so that a
     * subtask whose Kafka partitions are silent does not hold event time back. Watermarks are made
     * after parsing, per subtask rather than per partition: a subtask reading several partitions
     * follows the one furthest ahead, and events of a lagging one arrive late (they are still
     * decided, after the customer's due actions were delivered). Zero never leaves one out. Default
     * 1 minute.
     */
    public Builder sourceIdleness(Duration idleness) {
      this.sourceIdleness = Objects.requireNonNull(idleness, "idleness");
      return this;
    }

    /**
     * How long a customer's data and withdrawn consents stay in keyed state after their last
     * change; after that the customer is read from the customers file again, without the purchases
     * events added. Default 90 days.
     */
    public Builder customerStateTtl(Duration ttl) {
      this.customerStateTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * How long the key of a scheduled action stays in keyed state; it must outlast the longest
     * {@code delay_minutes} of the rules. Default 7 days.
     */
    public Builder scheduleStateTtl(Duration ttl) {
      this.scheduleStateTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * On the wall clock ({@link ClockMode#SYSTEM}), how often the first subtask of the deciding
     * operator runs {@code EventProcessor.deliverDue()}: a backstop that delivers what is due in
     * the journal's events runs and no timer holds — an action a crashed attempt left claimed (once
     * its lease ended), one whose keyed state was lost (a job started without its checkpoint, a
     * time to live shorter than a delay) — and closes the runs of days gone by. The journal's
     * claims keep each action to one deliverer, so it never sends twice what a timer sends. Zero
     * turns it off; with the events' clock there is none. Default 5 minutes.
     */
    public Builder sweepInterval(Duration interval) {
      this.sweepInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalStateException if the store is not set
     * @throws IllegalArgumentException if no channel is set or a value is out of range
     */
    public EventJobConfig build() {
      if (storeUrl == null) {
        throw new IllegalStateException(
            "store must be set: EventJobConfig.builder().store(url, user)");
      }
      return new EventJobConfig(
          rulesName,
          rulesJson,
          policyJson,
          storeUrl,
          storeUser,
          channels,
          consents,
          customersFile,
          agentArn,
          agentRegion,
          agentRequestsPerSecond,
          segmentCapacity,
          segmentTimeout,
          clock,
          outOfOrderness,
          sourceIdleness,
          customerStateTtl,
          scheduleStateTtl,
          sweepInterval);
    }

    private static String read(Path file, String what) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the " + what + " " + file, e);
      }
    }
  }
}
