package dev.opagent.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What a run left behind: the channel's lines and the journal's entries, read back. */
final class Results {
  static final ObjectMapper JSON = new ObjectMapper();

  private Results() {}

  /** An action as the comparison sees it. */
  record Action(String customerId, String campaign, String actionType, String plannedAt)
      implements Comparable<Action> {
    static Action of(JsonNode n) {
      return new Action(
          n.get("customerId").asText(),
          n.get("campaign").asText(),
          n.get("actionType").asText(),
          n.get("plannedAt").asText());
    }

    static Action of(ExecutionRecord r) {
      return new Action(
          r.request().customerId(),
          r.request().campaign(),
          r.request().actionType(),
          r.request().plannedAt().toString());
    }

    @Override
    public int compareTo(Action o) {
      return toString().compareTo(o.toString());
    }
  }

  /** The channel file's lines, parsed. */
  static List<JsonNode> channelLines(Path file) {
    try {
      List<JsonNode> out = new ArrayList<>();
      if (!Files.exists(file)) {
        return out;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many lines the channel wrote per idempotency key. */
  static Map<String, Integer> linesPerKey(Path file) {
    Map<String, Integer> out = new HashMap<>();
    for (JsonNode n : channelLines(file)) {
      out.merge(n.get("idempotencyKey").asText(), 1, Integer::sum);
    }
    return out;
  }

  /** The actions the channel delivered. */
  static Set<Action> delivered(Path file) {
    Set<Action> out = new TreeSet<>();
    for (JsonNode n : channelLines(file)) {
      out.add(Action.of(n));
    }
    return out;
  }

  /** The journal's entries of {@code runId} in {@code state}. */
  static Set<Action> journalled(String storeUrl, String runId, ExecutionState state) {
    try (OperatingStore store = OperatingStore.open(storeUrl, "sa", "")) {
      Set<Action> out = new TreeSet<>();
      for (ExecutionRecord r : store.journal().records(runId)) {
        if (r.state() == state) {
          out.add(Action.of(r));
        }
      }
      return out;
    }
  }

  /** The job's outcome records of kind {@code kind}, parsed. */
  static List<JsonNode> outcomes(List<String> records, String kind) {
    List<JsonNode> out = new ArrayList<>();
    for (String r : records) {
      try {
        JsonNode n = JSON.readTree(r);
        if (kind.equals(n.get("kind").asText())) {
          out.add(n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }
}
