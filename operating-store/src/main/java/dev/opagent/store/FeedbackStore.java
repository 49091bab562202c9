package dev.opagent.store;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.experiment.Allocation;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionRecorder;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.rules.spi.StickyAssignmentStore;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The learning's part of the operating store: the interactions customers had with delivered actions
 * and what they were attributed to, the metrics per strategy, sticky experiment assignments and the
 * bandit's allocations, shared by every process and kept across days. Thread-safe; get the store's
 * with {@link OperatingStore#feedback()} or build one with {@link #builder(OperatingStore)}.
 *
 * <p><b>Ingesting.</b> {@link #ingest} attributes interactions exactly as a {@link FeedbackLoop}
 * fed every delivery of the journal and every interaction stored before would (by idempotency key,
 * else to the customer's last delivery of the campaign within the conversion window), stores each
 * with its outcome and the key it was matched to, and adds it to the strategy effects. One call is
 * one transaction that first locks the store's {@code feedback} lock row, so ingestions of all
 * processes take turns and each attributes against everything committed before it. Before
 * attributing, the transaction counts the deliveries completed since the last ingestion into the
 * strategy effects. The instance keeps the loop it attributes with between calls and reads only
 * what other processes added since; a failed call drops it.
 *
 * <p><b>Deduplication.</b> An interaction is stored once, under {@link #interactionId}: a hash of
 * its whole content (type, instant to the microsecond, customer, campaign, idempotency key,
 * revenue). Ingesting the same file or feed twice therefore counts nothing twice. Two real events
 * that agree in every field (two identical orders of one customer at the same microsecond) count
 * once. An interaction stored as {@link Attribution.Outcome#UNATTRIBUTED_NO_DELIVERY} (it arrived
 * before its delivery was journalled) is attributed again when it is ingested again, and keeps the
 * new outcome: report it again after the delivery, as {@link Attribution.Outcome} advises.
 *
 * <p><b>Learning.</b> {@link #loop()} rebuilds a {@link FeedbackLoop} from the store: every
 * completed delivery of the journal, then every stored interaction with the attribution it got
 * ({@link FeedbackLoop#restore}), so its metrics, attribution counts and {@link
 * dev.opagent.agent.spi.ConversionRates} are those of every process and every earlier day.
 *
 * <pre>{@code
 * try (OperatingStore store = OperatingStore.open(url, user, password)) {
 *   FeedbackStore feedback = store.feedback();
 *   feedback.ingest(List.of(Interaction.conversion("C-1001", "winback", orderedAt, total)));
 *   FeedbackLoop loop = feedback.loop();          // every process's deliveries and interactions
 *   DecisionEngine engine = DecisionEngine.builder().conversionRates(loop).build();
 *   ExperimentAssigner assigner = ExperimentAssigner.create(subject, feedback.assignments());
 *   feedback.recordAllocation(subject, sampler.allocate(loop.metrics()));
 * }
 * }</pre>
 */
public final class FeedbackStore implements InteractionRecorder {
  private static final String LOCK = "feedback";
  private static final int CHUNK = 500;
  private static final int MAX_TRIES = 8;
  private static final HexFormat HEX = HexFormat.of();
  private static final String DELIVERY_COLUMNS =
      "e.idempotency_key, e.request_json,"
          + " e.receipt_channel, e.receipt_external_id, e.receipt_delivered_at, e.receipt_cost,"
          + " e.receipt_duplicate, e.receipt_detail";
  private static final String INTERACTION_COLUMNS =
      "seq, customer_id, campaign,"
          + " interaction_type, occurred_at, revenue, idempotency_key, outcome, attributed_key";

  private final DataSource dataSource;
  private final boolean postgres;
  private final Duration window;
  private final Clock clock;
  private final JdbcAssignments assignments;
  private final JdbcAllocations allocations;

  private final String locks;
  private final String executions;
  private final String interactions;
  private final String counted;
  private final String effects;

  private final Object ingesting = new Object();

  /** The loop ingestion attributes with, and what it has read. Guarded by {@link #ingesting}. */
  private @Nullable Cache cache;

  FeedbackStore(
      DataSource dataSource, String prefix, boolean postgres, Duration window, Clock clock) {
    this.dataSource = dataSource;
    this.postgres = postgres;
    this.window = window;
    this.clock = clock;
    this.assignments = new JdbcAssignments(dataSource, prefix, postgres, clock);
    this.allocations = new JdbcAllocations(dataSource, prefix, postgres, clock);
    this.locks = prefix + "locks";
    this.executions = prefix + "executions";
    this.interactions = prefix + "interactions";
    this.counted = prefix + "counted_deliveries";
    this.effects = prefix + "strategy_effects";
  }

  /** A builder of a feedback store on {@code store}'s database and tables. */
  public static Builder builder(OperatingStore store) {
    return new Builder(store);
  }

  /** How long after a delivery an ingested interaction is still attributed to it. */
  public Duration conversionWindow() {
    return window;
  }

  /**
   * The deduplication key of {@code interaction}: 64 hexadecimal digits of SHA-256 over its type,
   * its instant truncated to the microsecond, customer, campaign, idempotency key (empty when none)
   * and revenue without trailing zeros (empty when none), each prefixed by its length. It holds no
   * customer data in readable form.
   */
  public static String interactionId(Interaction interaction) {
    Objects.requireNonNull(interaction, "interaction");
    Instant at = interaction.at().truncatedTo(ChronoUnit.MICROS);
    BigDecimal revenue = interaction.revenue();
    StringBuilder sb = new StringBuilder(128).append("interaction/1");
    for (String part :
        new String[] {
          interaction.type().name(),
          at.getEpochSecond() + "." + at.getNano() / 1_000,
          interaction.customerId(),
          interaction.campaign(),
          Objects.requireNonNullElse(interaction.idempotencyKey(), ""),
          revenue == null ? "" : revenue.stripTrailingZeros().toPlainString()
        }) {
      sb.append('|').append(part.length()).append(':').append(part);
    }
    try {
      return HEX.formatHex(
          MessageDigest.getInstance("SHA-256")
              .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Ingests one interaction; see {@link #ingest(List)}. */
  public Ingested ingest(Interaction interaction) {
    return ingest(List.of(interaction)).get(0);
  }

  /**
   * Attributes and stores {@code interactions}, in order, in one transaction, and adds what was
   * attributed to the strategy effects. Instants are kept to the microsecond (the finer part is
   * dropped before attributing). A deadlock or lock timeout is retried; any other failure leaves
   * the store as it was.
   *
   * @return one result per interaction, in the same order
   * @throws IllegalArgumentException if a customer id, campaign or idempotency key is longer than
   *     200 characters, naming its index and field; nothing is stored then
   * @throws StoreException if the database fails
   */
  public List<Ingested> ingest(List<Interaction> interactions) {
    Objects.requireNonNull(interactions, "interactions");
    List<Interaction> batch = new ArrayList<>(interactions.size());
    List<String> ids = new ArrayList<>(interactions.size());
    for (int i = 0; i < interactions.size(); i++) {
      Interaction x = Objects.requireNonNull(interactions.get(i), "interactions[" + i + "]");
      Sql.requireFits(x.customerId(), "interactions[" + i + "].customerId");
      Sql.requireFits(x.campaign(), "interactions[" + i + "].campaign");
      Sql.requireFits(x.idempotencyKey(), "interactions[" + i + "].idempotencyKey");
      Interaction n =
          new Interaction(
              x.idempotencyKey(),
              x.customerId(),
              x.campaign(),
              x.type(),
              x.at().truncatedTo(ChronoUnit.MICROS),
              x.revenue());
      batch.add(n);
      ids.add(interactionId(n));
    }
    if (batch.isEmpty()) {
      return List.of();
    }
    return inTransaction(
        "ingest interactions", (c, k, now, deltas) -> attribute(c, k, batch, ids, now, deltas));
  }

  /**
   * The campaign of the last action delivered to {@code customerId} at or before {@code at}, as
   * {@link FeedbackLoop#lastTouch} finds it among every delivery journalled by every process (it
   * counts the deliveries completed since the last ingestion first, as {@link #ingest} does).
   *
   * @throws StoreException if the database fails
   */
  @Override
  public Optional<String> lastTouch(String customerId, Instant at) {
    Objects.requireNonNull(customerId, "customerId");
    Instant micros = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
    return inTransaction(
        "read the last delivery", (c, k, now, deltas) -> k.loop.lastTouch(customerId, micros));
  }

  /** Ingests one interaction and returns its attribution; see {@link #ingest(List)}. */
  @Override
  public Attribution record(Interaction interaction) {
    return ingest(interaction).attribution();
  }

  /** Work inside the feedback lock, on the loop caught up with the store. */
  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c, Cache k, Instant now, Map<EffectKey, Delta> deltas) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction holding the feedback lock, after counting the deliveries
   * completed since the last one and catching the loop up; retried on a deadlock or lock timeout.
   */
  private <T> T inTransaction(String what, Work<T> work) {
    synchronized (ingesting) {
      for (int attempt = 1; ; attempt++) {
        try {
          return inTransactionOnce(work);
        } catch (SQLException e) {
          if (!StoreException.retryable(e) || attempt == MAX_TRIES) {
            throw StoreException.of(what, e);
          }
          backoff(attempt);
        }
      }
    }
  }

  private <T> T inTransactionOnce(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      Cache k = cache != null ? cache : new Cache(newLoop());
      cache = null; // until this transaction commits, what it adds to the loop is not the store's
      try {
        lock(c);
        Instant now = clock.instant();
        Map<EffectKey, Delta> deltas = new LinkedHashMap<>();
        countNewDeliveries(c, now, deltas);
        catchUp(c, k);
        T out = work.run(c, k, now, deltas);
        writeEffects(c, deltas, now);
        c.commit();
        cache = k;
        return out;
      } catch (SQLException | RuntimeException e) {
        Sql.rollback(c, e);
        throw e;
      }
    }
  }

  /** Takes the feedback lock row, creating it first if a hand-applied schema lacks it. */
  private void lock(Connection c) throws SQLException {
    String select = "SELECT name FROM " + locks + " WHERE name = '" + LOCK + "' FOR UPDATE";
    for (int i = 0; i < 2; i++) {
      try (PreparedStatement ps = c.prepareStatement(select);
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Connection other = dataSource.getConnection();
          PreparedStatement ps =
              other.prepareStatement(
                  postgres
                      ? "INSERT INTO "
                          + locks
                          + " (name) VALUES ('"
                          + LOCK
                          + "') ON CONFLICT DO NOTHING"
                      : "MERGE INTO " + locks + " (name) KEY (name) VALUES ('" + LOCK + "')")) {
        other.setAutoCommit(true);
        ps.executeUpdate();
      }
    }
    throw new SQLException("the feedback lock row could not be created", "55000");
  }

  /** Counts the deliveries completed since the last ingestion into the strategy effects. */
  private void countNewDeliveries(Connection c, Instant now, Map<EffectKey, Delta> deltas)
      throws SQLException {
    List<String> keys = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT e.idempotency_key, e.request_json,"
                    + " e.receipt_cost FROM "
                    + executions
                    + " e WHERE e.state = 'COMPLETED' AND NOT EXISTS"
                    + " (SELECT 1 FROM "
                    + counted
                    + " d WHERE d.idempotency_key = e.idempotency_key)"
                    + " ORDER BY e.seq");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String key = rs.getString(1);
        ActionRequest r = request(key, rs.getString(2));
        String receiptCost = rs.getString(3);
        Delta d = deltas.computeIfAbsent(EffectKey.of(r), x -> new Delta());
        d.delivered++;
        d.cost = d.cost.add(receiptCost != null ? decimal(receiptCost) : r.cost());
        keys.add(key);
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    long next = Sql.number(c, "SELECT COALESCE(MAX(seq), 0) FROM " + counted) + 1;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO " + counted + " (idempotency_key, seq, counted_at) VALUES (?, ?, ?)")) {
      for (int i = 0; i < keys.size(); i++) {
        ps.setString(1, keys.get(i));
        ps.setLong(2, next++);
        Sql.setInstant(ps, 3, now);
        ps.addBatch();
        if ((i + 1) % CHUNK == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** Adds to the cached loop the deliveries counted and the interactions stored since it read. */
  private void catchUp(Connection c, Cache k) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT d.seq, "
                + DELIVERY_COLUMNS
                + " FROM "
                + counted
                + " d JOIN "
                + executions
                + " e ON e.idempotency_key = d.idempotency_key"
                + " WHERE d.seq > ? ORDER BY d.seq")) {
      ps.setLong(1, k.deliveries);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          record(k, rs);
          k.deliveries = rs.getLong(1);
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + INTERACTION_COLUMNS
                + " FROM "
                + interactions
                + " WHERE seq > ? ORDER BY seq")) {
      ps.setLong(1, k.interactions);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          restore(k.loop, rs);
          k.interactions = rs.getLong("seq");
        }
      }
    }
  }

  private List<Ingested> attribute(
      Connection c,
      Cache k,
      List<Interaction> batch,
      List<String> ids,
      Instant now,
      Map<EffectKey, Delta> deltas)
      throws SQLException {
    Map<String, Attribution> stored = stored(c, new ArrayList<>(new LinkedHashSet<>(ids)));
    long next = Sql.number(c, "SELECT COALESCE(MAX(seq), 0) FROM " + interactions) + 1;
    Map<String, Ingested> seen = new HashMap<>();
    List<Ingested> out = new ArrayList<>(batch.size());
    try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO "
                    + interactions
                    + " (interaction_id, seq, customer_id, campaign, interaction_type, occurred_at, revenue,"
                    + " idempotency_key, outcome, attributed_key, ingested_at, decided_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE "
                    + interactions
                    + " SET seq = ?,"
                    + " outcome = ?, attributed_key = ?, decided_at = ? WHERE interaction_id = ?")) {
      int inserts = 0;
      int updates = 0;
      for (int i = 0; i < batch.size(); i++) {
        String id = ids.get(i);
        Interaction x = batch.get(i);
        Ingested earlier = seen.get(id);
        if (earlier != null) {
          out.add(new Ingested(id, earlier.attribution(), true));
          continue;
        }
        Attribution before = stored.get(id);
        Ingested result;
        if (before != null && before.outcome() != Attribution.Outcome.UNATTRIBUTED_NO_DELIVERY) {
          result = new Ingested(id, before, true);
        } else {
          Attribution a = k.loop.record(x);
          if (before == null) {
            insert.setString(1, id);
            insert.setLong(2, next++);
            insert.setString(3, x.customerId());
            insert.setString(4, x.campaign());
            insert.setString(5, x.type().name());
            Sql.setInstant(insert, 6, x.at());
            insert.setBigDecimal(7, x.revenue());
            insert.setString(8, x.idempotencyKey());
            insert.setString(9, a.outcome().name());
            insert.setString(10, a.idempotencyKey());
            Sql.setInstant(insert, 11, now);
            Sql.setInstant(insert, 12, now);
            insert.addBatch();
            inserts++;
            count(k, x, a, deltas);
            result = new Ingested(id, a, false);
          } else if (a.outcome() == Attribution.Outcome.UNATTRIBUTED_NO_DELIVERY) {
            result = new Ingested(id, before, true);
          } else {
            update.setLong(1, next++);
            update.setString(2, a.outcome().name());
            update.setString(3, a.idempotencyKey());
            Sql.setInstant(update, 4, now);
            update.setString(5, id);
            update.addBatch();
            updates++;
            count(k, x, a, deltas);
            result = new Ingested(id, a, false);
          }
        }
        seen.put(id, result);
        out.add(result);
        if (inserts == CHUNK) {
          insert.executeBatch();
          inserts = 0;
        }
      }
      if (inserts > 0) {
        insert.executeBatch();
      }
      if (updates > 0) {
        update.executeBatch();
      }
    }
    k.interactions = Math.max(k.interactions, next - 1);
    return out;
  }

  /** The stored attribution of each of {@code ids} that is stored. */
  private Map<String, Attribution> stored(Connection c, List<String> ids) throws SQLException {
    Map<String, Attribution> out = new HashMap<>();
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT interaction_id, interaction_type,"
                  + " outcome, attributed_key FROM "
                  + interactions
                  + " WHERE interaction_id IN "
                  + Sql.marks(chunk.size()))) {
        Sql.bind(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(
                rs.getString(1), attribution(rs.getString(2), rs.getString(3), rs.getString(4)));
          }
        }
      }
    }
    return out;
  }

  /** Adds an attributed interaction to the strategy effects of its action. */
  private static void count(Cache k, Interaction x, Attribution a, Map<EffectKey, Delta> deltas) {
    if (!a.isAttributed() || x.type() == InteractionType.DELIVERED) {
      return; // a delivery confirmation changes no metric
    }
    EffectKey key =
        Objects.requireNonNull(
            k.keys.get(a.idempotencyKey()), "every attributed action was delivered");
    Delta d = deltas.computeIfAbsent(key, y -> new Delta());
    switch (x.type()) {
      case OPENED -> d.opened++;
      case CLICKED -> d.clicked++;
      case COUPON_USED -> d.couponsUsed++;
      case CONVERTED -> {
        d.conversions++;
        d.revenue = d.revenue.add(x.revenue() != null ? x.revenue() : BigDecimal.ZERO);
      }
      case DELIVERED -> throw new IllegalStateException("returned above");
    }
  }

  private void writeEffects(Connection c, Map<EffectKey, Delta> deltas, Instant now)
      throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    try (PreparedStatement update =
            c.prepareStatement(
                "UPDATE "
                    + effects
                    + " SET delivered ="
                    + " delivered + ?, opened = opened + ?, clicked = clicked + ?, coupons_used = coupons_used"
                    + " + ?, conversions = conversions + ?, revenue = revenue + ?, cost = cost + ?,"
                    + " updated_at = ? WHERE campaign = ? AND action_type = ? AND segment = ? AND"
                    + " variant = ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO "
                    + effects
                    + " (delivered,"
                    + " opened, clicked, coupons_used, conversions, revenue, cost, updated_at, campaign,"
                    + " action_type, segment, variant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<EffectKey, Delta> e : deltas.entrySet()) {
        bindEffect(update, e.getKey(), e.getValue(), now);
        if (update.executeUpdate() == 0) {
          bindEffect(insert, e.getKey(), e.getValue(), now);
          insert.executeUpdate();
        }
      }
    }
  }

  private static void bindEffect(PreparedStatement ps, EffectKey k, Delta d, Instant now)
      throws SQLException {
    ps.setLong(1, d.delivered);
    ps.setLong(2, d.opened);
    ps.setLong(3, d.clicked);
    ps.setLong(4, d.couponsUsed);
    ps.setLong(5, d.conversions);
    ps.setBigDecimal(6, d.revenue);
    ps.setBigDecimal(7, d.cost);
    Sql.setInstant(ps, 8, now);
    ps.setString(9, k.campaign());
    ps.setString(10, k.actionType());
    ps.setString(11, k.segment());
    ps.setString(12, k.variant());
  }

  /**
   * A {@link FeedbackLoop} rebuilt from the store: every completed delivery of the journal (in the
   * order the store counted them, then the newer ones), then every stored interaction with the
   * attribution it got. Its metrics, attribution counts and conversion rates are those of every
   * process and every earlier day; the caller owns it and may go on recording into it (as the
   * executor's listener, say), which changes nothing in the store. Reads every completed delivery
   * and stored interaction, so call it once per round rather than per decision.
   *
   * @throws StoreException if the database fails or a stored row cannot be read
   */
  public FeedbackLoop loop() {
    FeedbackLoop loop = newLoop();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        // Interactions committed before this point had their deliveries completed before them.
        long upTo = Sql.number(c, "SELECT COALESCE(MAX(seq), 0) FROM " + interactions);
        try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT d.seq, "
                        + DELIVERY_COLUMNS
                        + " FROM "
                        + executions
                        + " e LEFT JOIN "
                        + counted
                        + " d ON d.idempotency_key ="
                        + " e.idempotency_key WHERE e.state = 'COMPLETED' ORDER BY CASE WHEN d.seq IS NULL"
                        + " THEN 1 ELSE 0 END, d.seq, e.seq");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            record(loop, rs);
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + INTERACTION_COLUMNS
                    + " FROM "
                    + interactions
                    + " WHERE seq <= ? ORDER BY seq")) {
          ps.setLong(1, upTo);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              restore(loop, rs);
            }
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        Sql.rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw StoreException.of("rebuild the feedback loop", e);
    }
    return loop;
  }

  /**
   * The strategy effects as of the last ingestion, sorted by campaign, action type, segment and
   * variant (none first). Deliveries completed since the last ingestion are not in them yet; {@link
   * #loop()} has them.
   *
   * @throws StoreException if the database fails
   */
  public List<StrategyEffect> strategyEffects() {
    List<StrategyEffect> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT campaign, action_type, segment,"
                    + " variant, delivered, opened, clicked, coupons_used, conversions, revenue, cost"
                    + " FROM "
                    + effects
                    + " ORDER BY campaign, action_type, segment, variant");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new StrategyEffect(
                rs.getString(1),
                rs.getString(2),
                none(rs.getString(3)),
                none(rs.getString(4)),
                new Metrics(
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getLong(7),
                    rs.getLong(8),
                    rs.getLong(9),
                    rs.getBigDecimal(10),
                    rs.getBigDecimal(11))));
      }
    } catch (SQLException e) {
      throw StoreException.of("read strategy effects", e);
    }
    return out;
  }

  /**
   * Sticky experiment assignments in the store, shared by every process, for {@link
   * dev.opagent.agent.experiment.ExperimentAssigner#create(Experiment, StickyAssignmentStore)}. A
   * first assignment is inserted only if the customer has none and then read back, so two processes
   * assigning one customer at once use one variant. Each call is a round trip to the database.
   * Experiment keys, customer ids and variants are at most 200 characters.
   */
  public StickyAssignmentStore assignments() {
    return assignments;
  }

  /**
   * Records one round of {@code experiment}'s bandit. The first recording of a round is kept:
   * {@link dev.opagent.agent.experiment.ThompsonSampler} is deterministic, so processes that
   * compute the same round from the same counts and seed agree anyway. Instants are kept to the
   * microsecond.
   *
   * @return true if the round was recorded now, false if it had been recorded before
   * @throws IllegalArgumentException if the allocation is of another experiment or its variants are
   *     not the experiment's
   * @throws StoreException if the database fails
   */
  public boolean recordAllocation(Experiment experiment, Allocation allocation) {
    return allocations.record(experiment, allocation);
  }

  /**
   * The recorded rounds of experiment {@code experimentId}, oldest first; empty when none.
   *
   * @throws StoreException if the database fails or a row cannot be read
   */
  public List<Allocation> allocations(String experimentId) {
    return allocations.history(experimentId);
  }

  /**
   * Every experiment with a recorded round, sorted by id: its campaign, control and minimum sample
   * as recorded, its variants with the weights of its latest round (what new customers get now).
   *
   * @throws StoreException if the database fails or a row cannot be read
   */
  public List<Experiment> experiments() {
    return allocations.experiments();
  }

  // ---- reading rows ----

  private static void record(Cache k, ResultSet rs) throws SQLException {
    ActionRequest r = record(k.loop, rs);
    k.keys.put(r.idempotencyKey(), EffectKey.of(r));
  }

  private static ActionRequest record(FeedbackLoop loop, ResultSet rs) throws SQLException {
    String key = rs.getString("idempotency_key");
    ActionRequest r = request(key, rs.getString("request_json"));
    String channel = rs.getString("receipt_channel");
    Instant deliveredAt = Sql.instant(rs, "receipt_delivered_at");
    if (channel == null || deliveredAt == null) {
      throw unreadable("a completed execution has no receipt");
    }
    String cost = rs.getString("receipt_cost");
    loop.recordDelivery(
        r,
        new DeliveryReceipt(
            key,
            channel,
            Objects.requireNonNullElse(rs.getString("receipt_external_id"), ""),
            deliveredAt,
            cost == null ? null : decimal(cost),
            rs.getBoolean("receipt_duplicate"),
            Objects.requireNonNullElse(rs.getString("receipt_detail"), "")));
    return r;
  }

  private static void restore(FeedbackLoop loop, ResultSet rs) throws SQLException {
    Interaction x;
    Attribution a;
    try {
      Instant at = Sql.instant(rs, "occurred_at");
      InteractionType type = InteractionType.valueOf(rs.getString("interaction_type"));
      x =
          new Interaction(
              rs.getString("idempotency_key"),
              rs.getString("customer_id"),
              rs.getString("campaign"),
              type,
              Objects.requireNonNull(at, "occurred_at"),
              rs.getBigDecimal("revenue"));
      a = attribution(type.name(), rs.getString("outcome"), rs.getString("attributed_key"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw unreadable("a row of the interactions table is not a valid interaction");
    }
    try {
      loop.restore(x, a);
    } catch (IllegalArgumentException e) {
      throw unreadable(
          "an interaction is attributed to an action the journal does not hold as" + " completed");
    }
  }

  private static Attribution attribution(
      String type, String outcome, @Nullable String attributedKey) {
    try {
      return new Attribution(
          Attribution.Outcome.valueOf(outcome), attributedKey, InteractionType.valueOf(type));
    } catch (IllegalArgumentException e) {
      throw unreadable("a row of the interactions table has an unknown type or outcome");
    }
  }

  private static ActionRequest request(String key, String json) {
    ActionRequest r;
    try {
      r = ActionRequest.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw unreadable("a completed execution's request_json is not an ActionRequest");
    }
    if (!r.idempotencyKey().equals(key)) {
      throw unreadable("a completed execution's request_json is for another key");
    }
    return r;
  }

  private static BigDecimal decimal(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw unreadable("a completed execution's receipt_cost is not a number");
    }
  }

  private static @Nullable String none(String stored) {
    return stored.isEmpty() ? null : stored;
  }

  private static StoreException unreadable(String why) {
    return new StoreException("read feedback", null, 0, false, "operating store: " + why, null);
  }

  private FeedbackLoop newLoop() {
    return FeedbackLoop.builder().conversionWindow(window).clock(clock).build();
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5L << Math.min(attempt, 8)));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          "ingest interactions",
          null,
          0,
          false,
          "operating store: interrupted while retrying an ingestion",
          ie);
    }
  }

  /** A row of strategy_effects: none is stored as the empty string. */
  private record EffectKey(String campaign, String actionType, String segment, String variant) {
    static EffectKey of(ActionRequest r) {
      return new EffectKey(
          r.campaign(),
          r.actionType(),
          Objects.requireNonNullElse(r.segment(), ""),
          Objects.requireNonNullElse(r.variant(), ""));
    }
  }

  /** What one ingestion adds to a row of strategy_effects. */
  private static final class Delta {
    long delivered;
    long opened;
    long clicked;
    long couponsUsed;
    long conversions;
    BigDecimal revenue = BigDecimal.ZERO;
    BigDecimal cost = BigDecimal.ZERO;
  }

  /** The loop ingestion attributes with, and the last counted delivery and interaction it read. */
  private static final class Cache {
    final FeedbackLoop loop;
    final Map<String, EffectKey> keys = new HashMap<>();
    long deliveries;
    long interactions;

    Cache(FeedbackLoop loop) {
      this.loop = loop;
    }
  }

  /** Configures a {@link FeedbackStore}. Not thread-safe. */
  public static final class Builder {
    private final OperatingStore store;
    private Duration window = FeedbackLoop.DEFAULT_CONVERSION_WINDOW;
    private Clock clock = Clock.systemUTC();

    private Builder(OperatingStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * How long after a delivery an interaction is still attributed to it. Default 7 days, as {@link
     * FeedbackLoop}. Give every process of a store the same window: an ingested interaction keeps
     * the outcome it got under the window of the process that ingested it.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder conversionWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("conversionWindow must be positive but was " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * The clock that stamps ingestions, assignments and recorded allocations, and the {@code asOf}
     * of rebuilt loops' metrics. Default {@link Clock#systemUTC()}.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The feedback store; it opens nothing and shares the operating store's connections. */
    public FeedbackStore build() {
      return new FeedbackStore(
          store.dataSource(), store.tablePrefix(), store.isPostgres(), window, clock);
    }
  }
}
