package com.example.host;

import dev.opagent.agent.tools.SdkTools;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.store.OperatingStore;

/** A host's use of the public API, compiled against the published jars. */
public final class Host {

  private Host() {}

  /**
   * Builds the pieces a host wires together.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    ReferenceSegmenter segmenter = ReferenceSegmenter.ofSystemClock();
    RuleSet rules = RuleSetLoader.defaults();
    OperatingStore.Builder store = OperatingStore.builder();
    ToolRegistry tools = SdkTools.builder().build().registerInto(ToolRegistry.create());
    System.out.println(segmenter + " " + rules + " " + store + " " + tools.names());
  }
}
