package dev.opagent.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.experiment.Allocation;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.experiment.VariantCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The bandit rounds of each experiment in the store's {@code allocations} table. Thread-safe: each
 * call is one statement (or an insert and a read) in autocommit.
 */
final class JdbcAllocations {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "experiment_id, round_no, campaign, control_variant,"
          + " min_sample_per_arm, phase, weights_json, probability_best_json, counts_json,"
          + " allocated_at, recorded_at";

  private final DataSource dataSource;
  private final Clock clock;
  private final boolean postgres;
  private final String insert;
  private final String history;
  private final String latest;

  JdbcAllocations(DataSource dataSource, String prefix, boolean postgres, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.postgres = postgres;
    String table = prefix + "allocations";
    this.insert =
        postgres
            ? "INSERT INTO "
                + table
                + " ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING"
            : "INSERT INTO "
                + table
                + " ("
                + COLUMNS
                + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM "
                + table
                + " WHERE experiment_id = ? AND"
                + " round_no = ?)";
    this.history =
        "SELECT " + COLUMNS + " FROM " + table + " WHERE experiment_id = ? ORDER BY" + " round_no";
    this.latest =
        "SELECT "
            + COLUMNS
            + " FROM "
            + table
            + " a WHERE round_no = (SELECT"
            + " MAX(round_no) FROM "
            + table
            + " b WHERE b.experiment_id = a.experiment_id) ORDER BY"
            + " experiment_id";
  }

  boolean record(Experiment experiment, Allocation allocation) {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(allocation, "allocation");
    if (!allocation.experiment().equals(experiment.id())) {
      throw new IllegalArgumentException(
          "the allocation is of another experiment than the"
              + " experiment given with it; pass the experiment its sampler was built for");
    }
    if (!allocation.weights().keySet().equals(experiment.weights().keySet())) {
      throw new IllegalArgumentException(
          "the allocation's variants are not the experiment's;"
              + " pass the experiment its sampler was built for");
    }
    Sql.requireFits(experiment.id(), "experiment id");
    Sql.requireFits(experiment.campaign(), "campaign");
    Sql.requireFits(experiment.control(), "control");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        ps.setString(1, experiment.id());
        ps.setLong(2, allocation.round());
        ps.setString(3, experiment.campaign());
        ps.setString(4, experiment.control());
        ps.setLong(5, experiment.minSamplePerArm());
        ps.setString(6, allocation.phase().name());
        ps.setString(7, json(doubles(allocation.weights())));
        ps.setString(8, json(doubles(allocation.probabilityBest())));
        ps.setString(9, json(counts(allocation.counts())));
        Sql.setInstant(ps, 10, allocation.at());
        Sql.setInstant(ps, 11, clock.instant());
        if (!postgres) {
          ps.setString(12, experiment.id());
          ps.setLong(13, allocation.round());
        }
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        if (Sql.uniqueViolation(e)) {
          return false; // another process recorded this round meanwhile: the first one stays
        }
        throw e;
      }
    } catch (SQLException e) {
      throw StoreException.of("record an allocation", e);
    }
  }

  List<Allocation> history(String experimentId) {
    Objects.requireNonNull(experimentId, "experimentId");
    List<Allocation> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(history)) {
      ps.setString(1, experimentId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(allocation(rs));
        }
      }
    } catch (SQLException e) {
      throw StoreException.of("read allocations", e);
    }
    return out;
  }

  /** Every experiment with a recorded round, with the weights of its latest round. */
  List<Experiment> experiments() {
    List<Experiment> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(latest);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Allocation a = allocation(rs);
        Experiment.Builder b =
            Experiment.builder(a.experiment())
                .campaign(rs.getString("campaign"))
                .minSamplePerArm(rs.getLong("min_sample_per_arm"));
        a.weights().forEach(b::variant);
        try {
          out.add(b.control(rs.getString("control_variant")).build());
        } catch (IllegalArgumentException e) {
          throw unreadable("its experiment is not valid");
        }
      }
    } catch (SQLException e) {
      throw StoreException.of("read experiments", e);
    }
    return out;
  }

  private static Allocation allocation(ResultSet rs) throws SQLException {
    Map<String, Double> weights = new LinkedHashMap<>();
    Map<String, Double> best = new LinkedHashMap<>();
    Map<String, VariantCounts> counts = new LinkedHashMap<>();
    Allocation.Phase phase;
    Instant at = Sql.instant(rs, "allocated_at");
    try {
      read(rs.getString("weights_json"))
          .properties()
          .forEach(e -> weights.put(e.getKey(), e.getValue().doubleValue()));
      read(rs.getString("probability_best_json"))
          .properties()
          .forEach(e -> best.put(e.getKey(), e.getValue().doubleValue()));
      read(rs.getString("counts_json"))
          .properties()
          .forEach(
              e ->
                  counts.put(
                      e.getKey(),
                      new VariantCounts(
                          e.getValue().path("n").asLong(),
                          e.getValue().path("conversions").asLong())));
      phase = Allocation.Phase.valueOf(rs.getString("phase"));
    } catch (IllegalArgumentException e) {
      throw unreadable("a JSON column or its phase is not valid");
    }
    if (at == null) {
      throw unreadable("allocated_at is empty");
    }
    return new Allocation(
        rs.getString("experiment_id"), rs.getLong("round_no"), phase, weights, best, counts, at);
  }

  private static JsonNode read(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("not an object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON");
    }
  }

  private static ObjectNode doubles(Map<String, Double> values) {
    ObjectNode o = JSON.createObjectNode();
    values.forEach(o::put);
    return o;
  }

  private static ObjectNode counts(Map<String, VariantCounts> values) {
    ObjectNode o = JSON.createObjectNode();
    values.forEach((k, v) -> o.putObject(k).put("n", v.n()).put("conversions", v.conversions()));
    return o;
  }

  private static String json(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an allocation did not serialise", e);
    }
  }

  private static StoreException unreadable(String why) {
    return new StoreException(
        "read allocations",
        null,
        0,
        false,
        "operating store: a row of the" + " allocations table is unreadable: " + why,
        null);
  }
}
