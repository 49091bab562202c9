package dev.opagent.examples.cli;

import dev.opagent.agent.event.CustomerDirectory;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSet;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import dev.opagent.store.OperatingStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The event processor on the operating store, as {@code events} and {@code receive} wire it: the
 * store opened (and migrated), the segment agent, the loop on the store with the options' rules,
 * policy and consent, and a processor whose purchases and unsubscribes go to {@code directory} and
 * whose interactions are attributed in the store's feedback. Closes all of them.
 */
final class EventLoop implements AutoCloseable {
  final OperatingStore store;
  final DecisionOptions.Agent agent;
  final OperationAgent loopAgent;
  final EventProcessor processor;

  private EventLoop(
      OperatingStore store,
      DecisionOptions.Agent agent,
      OperationAgent loopAgent,
      EventProcessor processor) {
    this.store = store;
    this.agent = agent;
    this.loopAgent = loopAgent;
    this.processor = processor;
  }

  static EventLoop open(
      CommandLine cmd,
      DecisionOptions decision,
      StoreOptions storeOptions,
      RuleSet rules,
      DecisionPolicy policy,
      ChannelRegistry channels,
      CustomerDirectory directory,
      Clock clock) {
    OperatingStore store = storeOptions.open(cmd);
    DecisionOptions.Agent agent = null;
    try {
      agent = decision.agent(cmd, clock);
      OperationAgent loopAgent =
          decision.loopOn(
              cmd, store, agent.client(), rules, policy, clock, channels, ChannelLimits.DEFAULT);
      EventProcessor processor =
          EventProcessor.builder(loopAgent).customers(directory).feedback(store.feedback()).build();
      return new EventLoop(store, agent, loopAgent, processor);
    } catch (RuntimeException e) {
      if (agent != null) {
        agent.close();
      }
      store.close();
      throw e;
    }
  }

  /** The customers of a JSON-lines file; unreadable lines named in {@code bad} (up to a limit). */
  static List<CustomerData> readCustomers(Path customers, List<String> bad) throws IOException {
    List<CustomerData> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(customers, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text; (text = reader.readLine()) != null; ) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        try {
          out.add(CustomerData.fromJson(text));
        } catch (InvalidInputException | IllegalArgumentException e) {
          if (bad.size() < CustomerLines.KEPT_REASONS) {
            bad.add("--customers line " + line + ": " + e.getMessage());
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    try (store;
        agent) {
      loopAgent.close();
    }
  }
}
