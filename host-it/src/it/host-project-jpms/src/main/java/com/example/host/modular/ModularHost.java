package com.example.host.modular;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.strategy.StrategyTemplates;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.store.OperatingStore;

/**
 * A modular host's use of the public API, compiled on the module path against the published jars.
 */
public final class ModularHost {

  private ModularHost() {}

  /** The default campaign rules, read from the rules module's bundled resource. */
  public static RuleSet rules() {
    return RuleSetLoader.defaults();
  }

  /** The bundled strategy templates, read from the agent module's bundled resource. */
  public static StrategyTemplates templates() {
    return StrategyTemplates.bundled();
  }

  /** A customer read from JSON and analysed; Jackson reaches the segment module's wire types. */
  public static SegmentAnalysis analyse(String customerJson) {
    CustomerData customer = CustomerData.fromJson(customerJson);
    return ReferenceSegmenter.ofSystemClock().analyze(customer);
  }

  /** A tool registry's tool list in the MCP shape. */
  public static JsonNode tools(ToolRegistry registry) {
    return registry.toMcpToolsList();
  }

  /** The operating store's builder: the store module and its driver-independent API. */
  public static OperatingStore.Builder store() {
    return OperatingStore.builder();
  }
}
