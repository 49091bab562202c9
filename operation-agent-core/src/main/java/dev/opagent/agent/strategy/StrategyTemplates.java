package dev.opagent.agent.strategy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A library of strategy templates, kept as data. Immutable and thread-safe.
 *
 * <p>File format ({@link #BUNDLED_RESOURCE} is the reference):
 *
 * <pre>{@code
 * {"name": "my templates",
 *  "templates": [{
 *    "id": "winback_at_risk", "type": "WINBACK", "name": "Win back customers at risk",
 *    "description": "…",
 *    "target": {"segments.churnSegment": "Riskli"},
 *    "plan": {"actions": [{"type": "send_email", "channel": "email",
 *                          "template": "winback_offer", "delay_minutes": 0}],
 *             "offer": {"discount": 0.20, "expiry_days": 14}},
 *    "priority": "high", "holdout_percentage": 10, "tags": ["churn"],
 *    "prior": {"alpha": 4, "beta": 46},
 *    "economics": {"average_order_value": 75, "cost_per_contact": 0.02, "fixed_cost": 40}}]}
 * }</pre>
 *
 * <p>Every problem is collected with its JSON pointer before failing: unknown fields, wrong types,
 * out-of-range numbers, conditions that do not compile in strict mode, duplicate ids.
 */
public final class StrategyTemplates {

  /** Classpath resource of the bundled library. */
  public static final String BUNDLED_RESOURCE = "dev/opagent/agent/strategy/templates.json";

  private final String name;
  private final List<StrategyTemplate> templates;
  private final Map<String, StrategyTemplate> byId;

  private StrategyTemplates(String name, List<StrategyTemplate> templates) {
    Map<String, StrategyTemplate> index = new HashMap<>();
    for (StrategyTemplate t : templates) {
      if (index.put(t.id(), t) != null) {
        throw new IllegalArgumentException("duplicate template id '" + t.id() + "'");
      }
    }
    this.name = name;
    this.templates = List.copyOf(templates);
    this.byId = Map.copyOf(index);
  }

  /** A library of the given templates. */
  public static StrategyTemplates of(String name, List<StrategyTemplate> templates) {
    return new StrategyTemplates(name, templates);
  }

  /**
   * The bundled library: conversion by purchase stage and for new customers, retention of cooling
   * and VIP customers, replenishment and cross-sell repurchase, win-back of at-risk and lost
   * customers (with a deeper offer for price-sensitive ones).
   */
  public static StrategyTemplates bundled() {
    return Bundled.LIBRARY;
  }

  /**
   * Parses a library from JSON.
   *
   * @throws IllegalArgumentException listing every problem, one a line, as {@code
   *     sourceName:line:column: pointer: what is wrong}
   */
  public static StrategyTemplates parse(String sourceName, String json) {
    TemplateReader.Result r = TemplateReader.read(sourceName, json);
    if (!r.problems().isEmpty()) {
      throw new IllegalArgumentException(
          "template library "
              + sourceName
              + " is invalid:\n  "
              + String.join("\n  ", r.problems()));
    }
    return new StrategyTemplates(r.name() == null ? sourceName : r.name(), r.templates());
  }

  /**
   * Reads a UTF-8 library file.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException listing every problem with its JSON pointer
   */
  public static StrategyTemplates load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template library " + file, e);
    }
  }

  /** The library's name. */
  public String name() {
    return name;
  }

  /** The templates, in file order. */
  public List<StrategyTemplate> templates() {
    return templates;
  }

  /** The template with {@code id}. */
  public Optional<StrategyTemplate> template(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The templates of one type, in file order. */
  public List<StrategyTemplate> ofType(StrategyType type) {
    return templates.stream().filter(t -> t.type() == type).toList();
  }

  @Override
  public String toString() {
    return "StrategyTemplates[" + name + ", " + templates.size() + " templates]";
  }

  private static final class Bundled {
    static final StrategyTemplates LIBRARY = read();

    private static StrategyTemplates read() {
      try (InputStream in =
          StrategyTemplates.class.getClassLoader().getResourceAsStream(BUNDLED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("bundled resource missing: " + BUNDLED_RESOURCE);
        }
        return parse(
            "classpath:" + BUNDLED_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + BUNDLED_RESOURCE, e);
      }
    }
  }
}
