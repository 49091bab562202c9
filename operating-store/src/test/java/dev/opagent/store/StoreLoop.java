package dev.opagent.store;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.execution.spi.OperatingState;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One process's loop on an operating store, as a host would wire it; and reads of the outcome. */
final class StoreLoop {
  /** Customers per batch: small, so that rounds of a few hundred customers take several. */
  static final int BATCH = 40;

  private StoreLoop() {}

  /** Short, so that a restart after a kill takes the dead process's work over within seconds. */
  static final Duration LEASE = Duration.ofSeconds(6);

  /** Runs round {@code runId} (or resumes it) as a fresh process would. */
  static RoundReport round(
      OperatingStore store,
      SegmentClient client,
      ActionChannel channel,
      DecisionPolicy policy,
      Clock clock,
      String runId,
      List<CustomerData> customers) {
    return round(store, client, channel, ChannelLimits.DEFAULT, policy, clock, runId, customers);
  }

  /** As above, delivering within {@code limits}. */
  static RoundReport round(
      OperatingStore store,
      SegmentClient client,
      ActionChannel channel,
      ChannelLimits limits,
      DecisionPolicy policy,
      Clock clock,
      String runId,
      List<CustomerData> customers) {
    return round(
        store, store.operatingState(), client, channel, limits, policy, clock, runId, customers);
  }

  /** As above, deciding against {@code state} (the store's, or one wrapping it). */
  static RoundReport round(
      OperatingStore store,
      OperatingState state,
      SegmentClient client,
      ActionChannel channel,
      ChannelLimits limits,
      DecisionPolicy policy,
      Clock clock,
      String runId,
      List<CustomerData> customers) {
    DecisionEngine engine =
        DecisionEngine.builder()
            .policy(policy)
            .clock(clock)
            .approvalGate(store.approvalGate(clock))
            .build();
    try (ExecutionService executor =
        ExecutionService.builder()
            .journal(store.journal())
            .journalIsLedger(true)
            .decisionEngine(engine)
            .clock(clock)
            .lease(LEASE)
            .keys(IdempotencyKeys.daily(policy.operatingZone()))
            .defaultLimits(limits)
            .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
            .build()) {
      OperationAgent agent =
          OperationAgent.builder()
              .segmentClient(client)
              .rules(RuleSetLoader.defaults())
              .decisionEngine(engine)
              .executionService(executor)
              .operatingState(state)
              .batchSize(BATCH)
              .clock(clock)
              .context(
                  (data, analysis, ctx) ->
                      ctx.consent(Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.IN_APP))
              .build();
      return store.journal().runState(runId).isPresent()
          ? agent.resumeRound(runId, customers)
          : agent.runRound(runId, customers);
    }
  }

  /** Delivered contacts per customer. */
  static Map<String, Integer> deliveredContacts(OperatingStore store) throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    String p = store.tablePrefix();
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT l.customer_id, COUNT(*) FROM "
                    + p
                    + "ledger l JOIN "
                    + p
                    + "executions e ON e.idempotency_key = l.idempotency_key"
                    + " WHERE e.state = 'COMPLETED' AND l.contact_channel IS NOT NULL"
                    + " GROUP BY l.customer_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }

  /** Rows per execution state. */
  static Map<String, Integer> states(OperatingStore store) throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT state, COUNT(*) FROM "
                    + store.tablePrefix()
                    + "executions GROUP BY state");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }
}
